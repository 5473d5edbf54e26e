import { percent } from './format.js';

const ORDER = ['merged', 'changed', 'needs-human', 'failed', 'skipped', 'cancelled', 'unfinished'] as const;

/**
 * How the campaign's runs ended, as a stacked bar and a list; each count is a button that filters the
 * targets list to that outcome.
 */
export function OutcomeBreakdown({ counts, total, onSelect }: { counts: Record<string, number>; total: number; onSelect: (outcome: string) => void }) {
  const shown = ORDER.filter((outcome) => (counts[outcome] ?? 0) > 0);
  return (
    <section aria-labelledby="outcomes-heading" className="panel">
      <h2 id="outcomes-heading">Outcomes</h2>
      <div className="stacked-bar" aria-hidden="true">
        {shown.map((outcome) => (
          <span key={outcome} className={`segment outcome-${outcome}`} style={{ flexGrow: counts[outcome] ?? 0 }} />
        ))}
      </div>
      <ul className="outcome-list">
        {shown.map((outcome) => (
          <li key={outcome}>
            <button type="button" className="link-button" onClick={() => onSelect(outcome)} aria-label={`Show the ${counts[outcome] ?? 0} ${outcome} runs`}>
              <span className={`swatch outcome-${outcome}`} aria-hidden="true" />
              {outcome}
            </button>
            <span className="number">
              {counts[outcome] ?? 0} <span className="muted">({percent((counts[outcome] ?? 0) / Math.max(1, total))})</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
