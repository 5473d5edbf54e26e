import { useId } from 'react';
import type { Burndown } from './api-client.js';
import { formatTime } from './format.js';

const WIDTH = 560;
const HEIGHT = 220;
const MARGIN = { left: 44, right: 12, top: 12, bottom: 28 };

/**
 * Open vs landed runs over time, as inline SVG (no chart library: two lines and two axes). The series
 * comes bucketed from the server, so the chart costs the same for 10 runs or 10,000. The `<desc>` says
 * in words what the lines show.
 */
export function BurndownChart({ burndown, total }: { burndown: Burndown; total: number }) {
  const titleId = useId();
  const descId = useId();
  const points = burndown.points;
  if (points.length === 0) return <p className="muted">No runs yet.</p>;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const start = Date.parse(first.at);
  const span = Math.max(1, Date.parse(last.at) - start);
  const top = Math.max(1, total, ...points.map((point) => point.open + point.landed + point.closed));
  const x = (at: string): number => MARGIN.left + ((Date.parse(at) - start) / span) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (value: number): number => HEIGHT - MARGIN.bottom - (value / top) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const line = (value: (point: Burndown['points'][number]) => number): string => points.map((point) => `${x(point.at).toFixed(1)},${y(value(point)).toFixed(1)}`).join(' ');
  const ticks = [0, Math.round(top / 2), top];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="burndown">
        <title id={titleId}>Burndown: open and landed runs over time</title>
        <desc id={descId}>
          {`From ${formatTime(first.at)} to ${formatTime(last.at)}: open runs went from ${first.open} to ${last.open}; landed (merged) runs from ${first.landed} to ${last.landed}; ${last.closed} ended otherwise.`}
        </desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} className="grid" />
            <text x={MARGIN.left - 6} y={y(tick) + 4} textAnchor="end" className="axis">
              {tick}
            </text>
          </g>
        ))}
        <text x={MARGIN.left} y={HEIGHT - 8} className="axis">
          {formatTime(first.at)}
        </text>
        <text x={WIDTH - MARGIN.right} y={HEIGHT - 8} textAnchor="end" className="axis">
          {formatTime(last.at)}
        </text>
        <polyline points={line((point) => point.closed)} className="series closed" />
        <polyline points={line((point) => point.landed)} className="series landed" />
        <polyline points={line((point) => point.open)} className="series open" />
      </svg>
      <figcaption className="legend">
        <span className="key open">open {last.open}</span>
        <span className="key landed">landed {last.landed}</span>
        <span className="key closed">ended otherwise {last.closed}</span>
      </figcaption>
    </figure>
  );
}
