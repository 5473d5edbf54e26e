import { api, type StuckPage } from './api-client.js';
import { ErrorMessage } from './error-message.js';
import { formatTime } from './format.js';
import { Link, paths } from './router.js';
import { useResource } from './use-resource.js';

const SHOWN = 50;

/** "Why is this stuck": every run that has not landed, with the reason in words; longest stuck first. */
export function StuckList({ campaign, version }: { campaign: string; version: number }) {
  const { data, error } = useResource<StuckPage>(api.stuck(campaign, SHOWN), version);
  return (
    <section aria-labelledby="stuck-heading" className="panel stuck">
      <h2 id="stuck-heading">Why is this stuck?</h2>
      <ErrorMessage error={error} />
      {data && data.total === 0 && <p className="muted">Nothing is stuck: every run landed, was skipped, or was cancelled.</p>}
      {data && data.total > 0 && (
        <>
          <p className="muted small">
            {Object.entries(data.kinds)
              .map(([kind, count]) => `${count} ${kind}`)
              .join(' · ')}
            {data.total > data.runs.length ? ` — the ${data.runs.length} stuck longest of ${data.total}` : ''}
          </p>
          <ul className="stuck-list">
            {data.runs.map((run) => (
              <li key={run.target}>
                <Link to={paths.run(campaign, run.target)} className="target-name">
                  {run.target}
                </Link>{' '}
                <span className={`badge kind-${run.kind}`}>{run.kind}</span>
                <p className="reason">{run.reason}</p>
                {run.since && (
                  <p className="muted small">
                    since <time dateTime={run.since}>{formatTime(run.since)}</time>
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
