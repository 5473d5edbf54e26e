import { useId } from 'react';
import { show } from './report-values.js';

export interface Distribution {
  name: string;
  control: readonly number[];
  experiment: readonly number[];
  /** `samples` when the points are observations; `means` when only each side's mean is known. */
  kind: 'samples' | 'means';
}

const WIDTH = 560;
const ROW = 44;
const LEFT = 150;
const RIGHT = 16;

/**
 * Control against experiment for each metric, each on its own scale: every observation as a dot (or,
 * when the report carries only means, one mark per side), control above, experiment below, with each
 * side's mean as a bar. Shapes differ as well as colours, so it reads without colour too.
 */
export function DistributionChart({ metrics }: { metrics: readonly Distribution[] }) {
  const titleId = useId();
  const descId = useId();
  const height = metrics.length * ROW + 24;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} className="distribution">
        <title id={titleId}>Control and experiment per metric</title>
        <desc id={descId}>{metrics.map((metric) => `${metric.name}: control mean ${show(mean(metric.control))}, experiment mean ${show(mean(metric.experiment))}`).join('; ')}</desc>
        {metrics.map((metric, index) => (
          <MetricRow key={metric.name} metric={metric} top={index * ROW + 8} />
        ))}
        <g transform={`translate(${LEFT}, ${height - 8})`} className="axis">
          <circle cx="4" cy="-4" r="3.5" className="control" />
          <text x="12" y="0">
            control
          </text>
          <rect x="80" y="-8" width="7" height="7" className="experiment" />
          <text x="92" y="0">
            experiment
          </text>
        </g>
      </svg>
    </figure>
  );
}

function MetricRow({ metric, top }: { metric: Distribution; top: number }) {
  const all = [...metric.control, ...metric.experiment];
  const low = Math.min(...all);
  const high = Math.max(...all);
  const span = high - low || Math.abs(high) || 1;
  const from = metric.kind === 'means' ? Math.min(0, low) : low - span * 0.05;
  const to = high + span * 0.05;
  const x = (value: number): number => LEFT + ((value - from) / (to - from || 1)) * (WIDTH - LEFT - RIGHT);
  const controlMean = mean(metric.control);
  const experimentMean = mean(metric.experiment);
  return (
    <g>
      <text x={LEFT - 8} y={top + 18} textAnchor="end" className="axis">
        {metric.name}
      </text>
      <line x1={LEFT} x2={WIDTH - RIGHT} y1={top + 16} y2={top + 16} className="grid" />
      {metric.control.map((value, index) => (
        <circle key={`c${index}`} cx={x(value)} cy={top + 8} r="3.5" className="control" />
      ))}
      {metric.experiment.map((value, index) => (
        <rect key={`e${index}`} x={x(value) - 3.5} y={top + 20} width="7" height="7" className="experiment" />
      ))}
      {controlMean !== undefined && <line x1={x(controlMean)} x2={x(controlMean)} y1={top + 1} y2={top + 15} className="mean control-mean" />}
      {experimentMean !== undefined && <line x1={x(experimentMean)} x2={x(experimentMean)} y1={top + 17} y2={top + 31} className="mean experiment-mean" />}
      <text x={WIDTH - RIGHT} y={top + 40} textAnchor="end" className="axis small">
        {`${show(from)} … ${show(to)}`}
      </text>
    </g>
  );
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
