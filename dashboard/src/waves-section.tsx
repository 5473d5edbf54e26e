import type { CampaignDetail } from './api-client.js';
import { formatTime } from './format.js';

/**
 * Waves and the circuit breaker as the engine plans and reports them: each wave's size and progress,
 * why the campaign halted (while it is halted), and the campaign events. A campaign without `rollout`
 * goes to every target at once, and the section says so.
 */
export function WavesSection({ rollout }: { rollout: CampaignDetail['rollout'] }) {
  return (
    <section aria-labelledby="waves-heading" className="panel">
      <h2 id="waves-heading">Waves and circuit breaker</h2>
      {rollout.halted && (
        <p className="why kind-halted">
          <strong>Halted by the {rollout.halted.by === 'gate' ? 'wave gate' : 'circuit breaker'}: </strong>
          {rollout.halted.reason}
        </p>
      )}
      {rollout.waves.length === 0 ? (
        <p className="muted">No waves: this campaign has no rollout settings, so every target starts at once.</p>
      ) : (
        <table className="data">
          <caption className="visually-hidden">Waves, least risky first</caption>
          <thead>
            <tr>
              <th scope="col">Wave</th>
              <th scope="col">State</th>
              <th scope="col" className="number">
                Targets
              </th>
              <th scope="col" className="number">
                Ended
              </th>
              <th scope="col" className="number">
                Merged
              </th>
              <th scope="col" className="number">
                Failed
              </th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {rollout.waves.map((wave) => (
              <tr key={wave.wave}>
                <th scope="row">{wave.wave}</th>
                <td>
                  <span className={`badge wave-${wave.state}`}>{wave.state}</span>
                </td>
                <td className="number">{wave.targets}</td>
                <td className="number">{wave.finished}</td>
                <td className="number">{wave.merged}</td>
                <td className="number">{wave.failed}</td>
                <td title={wave.reason ?? undefined}>{wave.startedAt ? <time dateTime={wave.startedAt}>{formatTime(wave.startedAt)}</time> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rollout.events.length > 0 && (
        <details>
          <summary>Campaign events ({rollout.events.length})</summary>
          <ol className="rollout-events">
            {rollout.events.map((event) => (
              <li key={event.seq}>
                <time dateTime={event.at}>{formatTime(event.at)}</time> <strong>{event.type}</strong> <span>{describe(event.data)}</span>
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

/** The same words `flotilla events` uses for a campaign event. */
function describe(data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data.wave === 'number') parts.push(`wave ${data.wave + 1}`);
  if (typeof data.targets === 'number') parts.push(`${data.targets} targets`);
  if (typeof data.by === 'string') parts.push(`by ${data.by}`);
  if (typeof data.reason === 'string') parts.push(data.reason);
  return parts.join(' — ');
}
