import type { Report } from './api-client.js';
import { FieldList } from './confidence-panel.js';
import { DistributionChart, type Distribution } from './distribution-chart.js';
import { formatTime } from './format.js';
import { asArray, asNumber, asRecord, asString, show, type Json } from './report-values.js';

/**
 * Canary results (`canary.judgement` reports): verdict and score against the thresholds, the reasons, a
 * table of metrics (class, effect size, control and experiment means), and the distributions as a chart.
 * The event names each metric's class and effect size; the step's output adds the means.
 */
export function CanaryPanel({ reports }: { reports: readonly Report[] }) {
  return (
    <section aria-labelledby="canary-heading" className="panel">
      <h2 id="canary-heading">Canary</h2>
      {reports.map((report) => (
        <CanaryReport key={report.seq} report={report} />
      ))}
    </section>
  );
}

const SHOWN_ELSEWHERE = ['verdict', 'score', 'inconclusive', 'thresholds', 'reasons', 'metrics'];

function CanaryReport({ report }: { report: Report }) {
  const metrics = mergedMetrics(report);
  const thresholds = asRecord(report.data.thresholds);
  const reasons = asArray(report.data.reasons).map(show);
  const distributions = metrics.map(distributionOf).filter((item): item is Distribution => item !== undefined);
  const others = Object.entries(report.data).filter(([key]) => !SHOWN_ELSEWHERE.includes(key));
  return (
    <article className="report">
      <h3>
        Step {report.step} <span className="muted small">{formatTime(report.at)}</span>
      </h3>
      <p className="headline">
        verdict <span className={`badge verdict-${asString(report.data.verdict) ?? ''}`}>{asString(report.data.verdict) ?? 'unknown'}</span>
        {report.data.inconclusive === true && <span className="badge">inconclusive</span>} score {show(report.data.score)}
        {thresholds && ` (pass ≥ ${show(thresholds.pass)}, marginal ≥ ${show(thresholds.marginal)})`}
      </p>
      {reasons.length > 0 && (
        <ul>
          {reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      )}
      {metrics.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Canary metrics</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Class</th>
              <th scope="col" className="number">
                Effect size
              </th>
              <th scope="col" className="number">
                Control mean
              </th>
              <th scope="col" className="number">
                Experiment mean
              </th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {metrics.map((metric, index) => (
              <tr key={index}>
                <th scope="row">{show(metric.name)}</th>
                <td>{show(metric.classification)}</td>
                <td className="number">{show(metric.effectSize)}</td>
                <td className="number">{show(metric.controlMean)}</td>
                <td className="number">{show(metric.experimentMean)}</td>
                <td>{show(metric.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {distributions.length > 0 && <DistributionChart metrics={distributions} />}
      {others.length > 0 && <FieldList fields={others} />}
    </article>
  );
}

/** The event's metrics with what the step's output says about the same metric (means, reason). */
function mergedMetrics(report: Report): Json[] {
  const fromOutput = new Map<string, Json>();
  for (const item of asArray(report.output?.metrics)) {
    const metric = asRecord(item);
    const name = asString(metric?.name);
    if (metric && name) fromOutput.set(name, metric);
  }
  const merged = asArray(report.data.metrics).map((item) => {
    const metric = asRecord(item) ?? {};
    return { ...fromOutput.get(asString(metric.name) ?? ''), ...metric };
  });
  return merged.length > 0 ? merged : [...fromOutput.values()];
}

function numbers(value: unknown): number[] {
  return asArray(value).filter((item): item is number => typeof item === 'number' && Number.isFinite(item));
}

function distributionOf(metric: Json): Distribution | undefined {
  const name = show(metric.name);
  const control = numbers(metric.control ?? metric.controlSamples);
  const experiment = numbers(metric.experiment ?? metric.experimentSamples);
  if (control.length > 0 && experiment.length > 0) return { name, control, experiment, kind: 'samples' };
  const controlMean = asNumber(metric.controlMean);
  const experimentMean = asNumber(metric.experimentMean);
  if (controlMean !== undefined && experimentMean !== undefined) return { name, control: [controlMean], experiment: [experimentMean], kind: 'means' };
  return undefined;
}
