/**
 * A judgement as `--json` output or as a table for people. The JSON carries every number behind each
 * verdict (so a script or the dashboard can show why); the table keeps one line per metric.
 */
import type { ScoreThresholds } from './canary-config.js';
import { formatInterval, formatNumber } from './format-number.js';
import type { CanaryJudgement } from './judge-canary.js';

/** The `--json` document: score, verdict, groups and per-metric numbers; NaN is written as null. */
export function renderJudgementJson(judgement: CanaryJudgement, thresholds: ScoreThresholds): string {
  const document = {
    score: judgement.score,
    verdict: judgement.verdict,
    inconclusive: judgement.inconclusive,
    thresholds,
    groups: judgement.groups,
    reasons: judgement.reasons,
    metrics: judgement.metrics.map((metric) => ({
      name: metric.name,
      classification: metric.classification,
      critical: metric.critical,
      criticalFailure: metric.criticalFailure,
      muted: metric.muted,
      groups: metric.groups,
      direction: metric.direction,
      estimate: metric.estimate,
      interval: metric.interval,
      toleranceBand: metric.toleranceBand,
      effectSize: metric.effectSize,
      effectSizeMeasure: metric.effectSizeMeasure,
      pValue: metric.pValue,
      method: metric.method,
      confidenceLevel: metric.confidenceLevel,
      counts: {
        control: { received: metric.control.received, used: metric.control.used, missing: metric.control.missing, outliers: metric.control.outliers },
        experiment: {
          received: metric.experiment.received,
          used: metric.experiment.used,
          missing: metric.experiment.missing,
          outliers: metric.experiment.outliers,
        },
      },
      means: { control: metric.control.mean, experiment: metric.experiment.mean },
      reason: metric.reason,
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function pad(cells: string[][]): string[] {
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  // The last column (the reason) is not padded: it is as long as it needs to be.
  return cells.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  '));
}

/** A table for a terminal or a log: one line per metric, then groups, reasons and the verdict. */
export function renderJudgementTable(judgement: CanaryJudgement, thresholds: ScoreThresholds): string {
  const rows = [['metric', 'class', 'critical', 'estimate', 'interval', 'effect', 'control/exp n', 'reason']];
  for (const metric of judgement.metrics) {
    rows.push([
      metric.name + (metric.muted ? ' (muted)' : ''),
      metric.classification,
      metric.critical ? (metric.criticalFailure ? 'FAILED' : 'yes') : '',
      formatNumber(metric.estimate),
      formatInterval(metric.interval),
      formatNumber(metric.effectSize),
      `${metric.control.used}/${metric.experiment.used}`,
      metric.reason,
    ]);
  }
  const lines = pad(rows);
  const groups = Object.entries(judgement.groups).map(([name, score]) => `${name} ${formatNumber(score)}`);
  lines.push('', `groups: ${groups.length > 0 ? groups.join(', ') : 'none with data'}`);
  for (const reason of judgement.reasons) lines.push(`- ${reason}`);
  const inconclusive = judgement.inconclusive ? ' (inconclusive)' : '';
  lines.push(
    `verdict: ${judgement.verdict.toUpperCase()}${inconclusive}, score ${formatNumber(judgement.score)} (pass >= ${formatNumber(thresholds.pass)}, marginal >= ${formatNumber(thresholds.marginal)})`,
  );
  return `${lines.join('\n')}\n`;
}
