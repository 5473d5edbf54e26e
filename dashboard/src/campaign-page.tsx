import { useCallback, useState } from 'react';
import { ActionBar, type ActionSpec } from './action-bar.js';
import { api, postAction, type CampaignDetail } from './api-client.js';
import { Progress, StateBadge } from './badges.js';
import { BurndownChart } from './burndown-chart.js';
import { ErrorMessage } from './error-message.js';
import { LiveIndicator } from './live-indicator.js';
import { useLiveVersion } from './live.js';
import { OutcomeBreakdown } from './outcome-breakdown.js';
import { Link, paths } from './router.js';
import { StuckList } from './stuck-list.js';
import { TargetFilters } from './target-filters.js';
import { TargetsList } from './targets-list.js';
import type { RunFilters } from './use-run-pages.js';
import { useResource } from './use-resource.js';
import { WavesSection } from './waves-section.js';

/** One campaign: burndown, outcomes, waves, why runs are stuck, the targets, and pause/resume/cancel; live. */
export function CampaignPage({ name }: { name: string }) {
  const { version, connected } = useLiveVersion(name);
  const { data, error } = useResource<CampaignDetail>(api.campaign(name), version);
  const [filters, setFilters] = useState<RunFilters>({});
  const onFilters = useCallback((next: RunFilters) => setFilters(next), []);
  return (
    <main id="main" tabIndex={-1}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.campaigns()}>Campaigns</Link> / <span aria-current="page">{name}</span>
      </nav>
      <div className="page-title">
        <h1>{name}</h1>
        {data && <StateBadge state={data.state} />}
        <LiveIndicator connected={connected} />
      </div>
      <ErrorMessage error={error} />
      {data && (
        <>
          {data.description && <p className="description">{data.description}</p>}
          <div className="summary-line">
            <Progress finished={data.finished} total={data.total} label={`${data.finished} of ${data.total} runs ended`} />
            <span>{data.waiting} waiting</span>
            <ActionBar label="Campaign actions" actions={campaignActions(data)} />
          </div>
          <div className="grid">
            <section aria-labelledby="burndown-heading" className="panel">
              <h2 id="burndown-heading">Burndown</h2>
              <BurndownChart burndown={data.burndown} total={data.total} />
            </section>
            <StuckList campaign={name} version={version} />
            <OutcomeBreakdown counts={data.counts} total={data.total} onSelect={(outcome) => setFilters({ outcome })} />
            <WavesSection rollout={data.rollout} />
          </div>
          <TargetFilters facets={data.facets} filters={filters} onChange={onFilters} />
          <TargetsList campaign={name} filters={filters} version={version} />
        </>
      )}
    </main>
  );
}

function campaignActions(campaign: CampaignDetail): ActionSpec[] {
  const act = (verb: string) => () => postAction(api.campaignAction(campaign.name, verb));
  const actions: ActionSpec[] = [];
  if (campaign.state === 'running') {
    actions.push({ label: 'Pause', perform: act('pause'), confirm: { title: `Pause ${campaign.name}?`, message: 'No new step starts until it is resumed; steps already running finish.', confirmLabel: 'Pause' } });
  }
  if (campaign.state === 'paused' || campaign.state === 'halted') {
    const message = campaign.state === 'halted' ? 'The rollout halted itself; resuming starts the next wave, and the circuit breaker counts afresh.' : 'Runs go on where they stopped.';
    actions.push({ label: 'Resume', perform: act('resume'), confirm: { title: `Resume ${campaign.name}?`, message, confirmLabel: 'Resume' } });
  }
  if (campaign.state === 'running' || campaign.state === 'paused' || campaign.state === 'halted') {
    actions.push({
      label: 'Cancel campaign',
      danger: true,
      perform: act('cancel'),
      confirm: { title: `Cancel ${campaign.name}?`, message: 'Every unfinished run ends cancelled and its open change is closed. This cannot be undone.', confirmLabel: 'Cancel the campaign', danger: true },
    });
  }
  const merged = campaign.counts.merged ?? 0;
  if (merged > 0) {
    actions.push({
      label: 'Revert merged',
      danger: true,
      perform: () => postAction(api.campaignAction(campaign.name, 'revert'), { by: 'dashboard' }),
      confirm: {
        title: `Revert what ${campaign.name} merged?`,
        message: `Starts the campaign ${campaign.name}-revert over the ${merged} merged ${merged === 1 ? 'target' : 'targets'}: each merge is reverted and the revert lands like any change.`,
        confirmLabel: 'Revert',
        danger: true,
      },
    });
  }
  return actions;
}
