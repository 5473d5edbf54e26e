import type { CampaignDetail } from './api-client.js';
import { formatTime } from './format.js';

/**
 * Waves and the circuit breaker, as the engine reports them (wave/campaign events, or the campaign's
 * `rollout` field). Until it does, the section says so instead of inventing a wave.
 */
export function WavesSection({ rollout }: { rollout: CampaignDetail['rollout'] }) {
  const hasSpec = rollout.spec !== null && rollout.spec !== undefined;
  return (
    <section aria-labelledby="waves-heading" className="panel">
      <h2 id="waves-heading">Waves and circuit breaker</h2>
      {!hasSpec && rollout.events.length === 0 && <p className="muted">No waves: the engine has reported no waves or circuit-breaker events for this campaign.</p>}
      {hasSpec && (
        <details>
          <summary>Rollout settings</summary>
          <pre className="json">{JSON.stringify(rollout.spec, null, 2)}</pre>
        </details>
      )}
      {rollout.events.length > 0 && (
        <ol className="rollout-events">
          {rollout.events.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatTime(event.at)}</time> <strong>{event.name}</strong> <span className="muted">{event.target}</span>
              <pre className="json">{JSON.stringify(event.data)}</pre>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
