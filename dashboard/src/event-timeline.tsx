import type { EventView } from './api-client.js';
import { formatTime } from './format.js';

/** The run's history, oldest first: when, what, and the event in words (as `flotilla events` says it). */
export function EventTimeline({ events }: { events: readonly EventView[] }) {
  return (
    <section aria-labelledby="timeline-heading" className="panel">
      <h2 id="timeline-heading">Timeline</h2>
      <ol className="timeline">
        {events.map((event) => (
          <li key={event.seq} className={`event type-${event.type.replace(/[^a-z-]/g, '-')}`}>
            <time dateTime={event.at}>{formatTime(event.at)}</time>
            <strong>{event.type}</strong>
            <span className="summary">{event.summary}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
