import type { EventView } from './api-client.js';
import { formatTime } from './format.js';

const SHORT = 220;

/**
 * The run's history, oldest first: when, what, and the event in words (as `flotilla events` says it).
 * Long summaries (a report with all its data) are cut, with the whole event one click away.
 */
export function EventTimeline({ events }: { events: readonly EventView[] }) {
  return (
    <section aria-labelledby="timeline-heading" className="panel">
      <h2 id="timeline-heading">Timeline</h2>
      <ol className="timeline">
        {events.map((event) => (
          <li key={event.seq} className={`event type-${event.type.replace(/[^a-z-]/g, '-')}`}>
            <time dateTime={event.at}>{formatTime(event.at)}</time>
            <strong>{event.type}</strong>
            {event.summary.length <= SHORT ? (
              <span className="summary">{event.summary}</span>
            ) : (
              <details className="summary">
                <summary>{`${event.summary.slice(0, SHORT)}…`}</summary>
                <pre className="json">{JSON.stringify(event.data, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
