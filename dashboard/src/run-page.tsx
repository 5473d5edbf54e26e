import { useRef, useState, useEffect } from 'react';
import { ActionBar, type ActionSpec } from './action-bar.js';
import { api, postAction, type EventView, type RunDetail } from './api-client.js';
import { OutcomeBadge } from './badges.js';
import { CanaryPanel } from './canary-panel.js';
import { CompliancePanel } from './compliance-panel.js';
import { ConfidencePanel } from './confidence-panel.js';
import { ErrorMessage } from './error-message.js';
import { EventTimeline } from './event-timeline.js';
import { formatTime } from './format.js';
import { LiveIndicator } from './live-indicator.js';
import { useRunEvents } from './live.js';
import { Link, paths } from './router.js';
import { StepsTable } from './steps-table.js';
import { useResource } from './use-resource.js';

/** One run: why it is where it is, its steps (with live logs), reports, timeline, and approve/reject; live. */
export function RunPage({ campaign, target }: { campaign: string; target: string }) {
  const version = useRunVersion(campaign, target);
  const { data, error } = useResource<RunDetail>(api.run(campaign, target), version.value);
  const events = useResource<{ events: EventView[] }>(api.runPart(campaign, target, 'events'), version.value);
  return (
    <main id="main" tabIndex={-1}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.campaigns()}>Campaigns</Link> / <Link to={paths.campaign(campaign)}>{campaign}</Link> / <span aria-current="page">{target}</span>
      </nav>
      <div className="page-title">
        <h1 className="target-name">{target}</h1>
        {data && <OutcomeBadge outcome={data.outcome} status={data.status} />}
        <LiveIndicator connected={version.connected} />
      </div>
      <ErrorMessage error={error} />
      {data && (
        <>
          <dl className="facts">
            <div>
              <dt>Owner</dt>
              <dd>{data.owner ?? '—'}</dd>
            </div>
            <div>
              <dt>Tier</dt>
              <dd>{data.tier ?? '—'}</dd>
            </div>
            {data.wave !== null && (
              <div>
                <dt>Wave</dt>
                <dd>{data.wave}</dd>
              </div>
            )}
            <div>
              <dt>Base commit</dt>
              <dd>
                <code>{data.baseCommit.slice(0, 12)}</code>
              </dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <time dateTime={data.createdAt}>{formatTime(data.createdAt)}</time>
              </dd>
            </div>
            <div>
              <dt>Last change</dt>
              <dd>
                <time dateTime={data.updatedAt}>{formatTime(data.updatedAt)}</time>
              </dd>
            </div>
          </dl>
          {data.stuck && (
            <p className={`why kind-${data.stuck.kind}`}>
              <strong>Why it is here: </strong>
              {data.stuck.reason}
            </p>
          )}
          {data.reasons.length > 0 && (
            <section aria-labelledby="reasons-heading" className="panel">
              <h2 id="reasons-heading">Reasons</h2>
              <ul>
                {data.reasons.map((reason, index) => (
                  <li key={index}>{reason}</li>
                ))}
              </ul>
            </section>
          )}
          <ActionBar label="Run actions" actions={runActions(data)} />
          <StepsTable campaign={campaign} target={target} steps={data.steps} runDone={data.status === 'done'} />
          {data.reports.confidence.length > 0 && <ConfidencePanel reports={data.reports.confidence} />}
          {data.reports.compliance.length > 0 && <CompliancePanel reports={data.reports.compliance} />}
          {data.reports.canary.length > 0 && <CanaryPanel reports={data.reports.canary} />}
        </>
      )}
      {events.data && <EventTimeline events={events.data.events} />}
    </main>
  );
}

/** Bumped shortly after each live event of this run, so the page refetches once per burst. */
function useRunVersion(campaign: string, target: string): { value: number; connected: boolean } {
  const [value, setValue] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const bump = (): void => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      setValue((current) => current + 1);
    }, 250);
  };
  const connected = useRunEvents(
    campaign,
    (event) => {
      if (event.target === target) bump();
    },
    bump,
  );
  return { value, connected };
}

function runActions(run: RunDetail): ActionSpec[] {
  const actions: ActionSpec[] = [];
  const path = (verb: string): string => api.runPart(run.campaign, run.target, verb);
  if (run.actions.approve) {
    actions.push({
      label: 'Approve',
      perform: (reason) => postAction(path('approve'), reason ? { reason, by: 'dashboard' } : { by: 'dashboard' }),
      confirm: { title: `Approve ${run.target}?`, message: `The run goes on past its approval step in campaign ${run.campaign}.`, confirmLabel: 'Approve', withReason: true },
    });
  }
  if (run.actions.reject) {
    actions.push({
      label: 'Reject',
      danger: true,
      perform: (reason) => postAction(path('reject'), reason ? { reason, by: 'dashboard' } : { by: 'dashboard' }),
      confirm: { title: `Reject ${run.target}?`, message: 'The run fails at its approval step with your reason.', confirmLabel: 'Reject', withReason: true, danger: true },
    });
  }
  if (run.actions.revert) {
    actions.push({
      label: 'Revert this change',
      danger: true,
      perform: () => postAction(path('revert'), { by: 'dashboard' }),
      confirm: {
        title: `Revert ${run.target}?`,
        message: `Starts the campaign ${run.campaign}-revert for this target: it reverts the merge and lands the revert like any change.`,
        confirmLabel: 'Revert',
        danger: true,
      },
    });
  }
  return actions;
}
