import { useEffect, useId, useState } from 'react';
import type { CampaignDetail } from './api-client.js';
import type { RunFilters } from './use-run-pages.js';

const OUTCOMES = ['merged', 'changed', 'needs-human', 'failed', 'skipped', 'cancelled', 'unfinished'];

/** The targets list's filters (outcome, owner, tier, step) and search, each with a visible label. */
export function TargetFilters({ facets, filters, onChange }: { facets: CampaignDetail['facets']; filters: RunFilters; onChange: (next: RunFilters) => void }) {
  const id = useId();
  const [text, setText] = useState(filters.q ?? '');
  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  // Search as the person types, once they pause.
  useEffect(() => {
    if (text === (filters.q ?? '')) return;
    const timer = window.setTimeout(() => onChange({ ...filters, q: text || undefined }), 250);
    return () => window.clearTimeout(timer);
  }, [text, filters, onChange]);
  const select = (name: keyof RunFilters, label: string, values: readonly (string | number)[]) => (
    <p className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select id={`${id}-${name}`} value={filters[name] ?? ''} onChange={(event) => onChange({ ...filters, [name]: event.target.value || undefined })}>
        <option value="">any</option>
        {values.map((value) => (
          <option key={value} value={String(value)}>
            {String(value)}
          </option>
        ))}
      </select>
    </p>
  );
  const active = Object.values(filters).some(Boolean);
  return (
    <form className="filters" role="search" aria-label="Filter targets" onSubmit={(event) => event.preventDefault()}>
      {select('outcome', 'Outcome', OUTCOMES)}
      {select('owner', 'Owner', facets.owners)}
      {select('tier', 'Tier', facets.tiers)}
      {select('step', 'Step', facets.steps)}
      <p className="field grow">
        <label htmlFor={`${id}-q`}>Search</label>
        <input id={`${id}-q`} type="search" value={text} placeholder="target, owner or reason" onChange={(event) => setText(event.target.value)} />
      </p>
      <button type="button" disabled={!active} onClick={() => onChange({})}>
        Clear filters
      </button>
    </form>
  );
}
