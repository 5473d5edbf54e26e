/**
 * From metric verdicts to one score and a verdict for the run.
 *
 * Rules, in order (each adds a reason):
 * 1. Muted metrics are left out of everything below.
 * 2. Nothing left to score: score 0, inconclusive.
 * 3. A critical metric High or Low beyond its critical effect size: score 0, fail.
 * 4. Half or more of the scored metrics have no data (Nodata or NodataFailMetric): score 0,
 *    inconclusive — sparse data is never a silent pass.
 * 5. Any other critical failure (a critical metric without data, or in Error): score 0, fail.
 * 6. Otherwise each group scores the share of its metrics that passed (Nodata left out; High, Low,
 *    NodataFailMetric and Error count against it), and the run scores the weighted mean of its groups.
 *    Weights are Kayenta's (unweighted groups share what is left of 100 evenly), normalised over the
 *    groups that have something to score. Scores are rounded to two decimals, as Kayenta rounds them.
 */
import { DEFAULT_GROUP, type ScoreThresholds } from './canary-config.js';
import type { MetricResult } from './classify-metric.js';
import { formatNumber } from './format-number.js';

export type CanaryVerdict = 'pass' | 'marginal' | 'fail';

export interface CanaryScore {
  /** 0..100, two decimals. */
  score: number;
  verdict: CanaryVerdict;
  /** Too little data to judge; the score is 0 and the verdict fail, but the cause is missing data, not a regression. */
  inconclusive: boolean;
  /** Score per group that had something to score (groups with only Nodata metrics are left out and named in `reasons`). */
  groups: Record<string, number>;
  reasons: string[];
}

const NODATA_SHARE = 0.5;

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The verdict for a score; `pass` and `marginal` are inclusive lower bounds. */
export function verdictFor(score: number, thresholds: ScoreThresholds): CanaryVerdict {
  if (score >= thresholds.pass) return 'pass';
  if (score >= thresholds.marginal) return 'marginal';
  return 'fail';
}

/** Each group's weight (not yet normalised): explicit weights, the rest of 100 shared evenly, as Kayenta. */
export function groupWeightsFor(groupNames: readonly string[], configured: Record<string, number>): Map<string, number> {
  const configuredTotal = Object.values(configured).reduce((sum, weight) => sum + weight, 0);
  const unweighted = groupNames.filter((name) => configured[name] === undefined);
  const share = unweighted.length > 0 ? Math.max(0, 100 - configuredTotal) / unweighted.length : 0;
  const weights = new Map<string, number>();
  for (const name of groupNames) weights.set(name, configured[name] ?? share);
  return weights;
}

/** Scores a run's metric results. Pure. */
export function scoreCanary(results: readonly MetricResult[], groupWeights: Record<string, number>, thresholds: ScoreThresholds): CanaryScore {
  const scored = results.filter((result) => !result.muted);
  const reasons: string[] = [];
  const mutedCount = results.length - scored.length;
  if (mutedCount > 0) reasons.push(`${mutedCount} muted metric(s) not scored`);

  const groupCounts = new Map<string, { pass: number; total: number }>();
  for (const result of scored) {
    for (const group of result.groups.length > 0 ? result.groups : [DEFAULT_GROUP]) {
      const counts = groupCounts.get(group) ?? { pass: 0, total: 0 };
      if (result.classification !== 'Nodata') {
        counts.total++;
        if (result.classification === 'Pass') counts.pass++;
      }
      groupCounts.set(group, counts);
    }
  }
  const groups: Record<string, number> = {};
  const shares = new Map<string, number>();
  const withoutData: string[] = [];
  for (const [name, counts] of [...groupCounts].sort(([a], [b]) => a.localeCompare(b))) {
    if (counts.total === 0) {
      withoutData.push(name);
      continue;
    }
    shares.set(name, (100 * counts.pass) / counts.total);
    groups[name] = round2((100 * counts.pass) / counts.total);
  }
  if (withoutData.length > 0) reasons.push(`group(s) without data, left out of the score: ${withoutData.join(', ')}`);

  const finish = (score: number, inconclusive: boolean): CanaryScore => {
    const verdict = inconclusive ? 'fail' : verdictFor(score, thresholds);
    reasons.push(`score ${formatNumber(score)}: ${verdict} (pass >= ${formatNumber(thresholds.pass)}, marginal >= ${formatNumber(thresholds.marginal)})`);
    return { score, verdict, inconclusive, groups, reasons };
  };

  if (scored.length === 0) {
    reasons.push('inconclusive: no metric to score');
    return finish(0, true);
  }
  // A critical regression is a finding even when other metrics lack data; a critical metric without data
  // (or in error) fails the run too, but when most data is missing the run is reported inconclusive.
  const criticalFailures = scored.filter((result) => result.criticalFailure);
  const regressions = criticalFailures.filter((result) => result.classification === 'High' || result.classification === 'Low');
  const explainCritical = (failures: MetricResult[]): void => {
    for (const failure of failures) reasons.push(`critical metric ${failure.name} is ${failure.classification}: ${failure.reason}`);
  };
  if (regressions.length > 0) {
    explainCritical(criticalFailures);
    return finish(0, false);
  }
  const noData = scored.filter((result) => result.classification === 'Nodata' || result.classification === 'NodataFailMetric');
  if (noData.length >= NODATA_SHARE * scored.length) {
    explainCritical(criticalFailures);
    reasons.push(`inconclusive: ${noData.length} of ${scored.length} metrics have no data (${noData.map((result) => result.name).join(', ')})`);
    return finish(0, true);
  }
  if (criticalFailures.length > 0) {
    explainCritical(criticalFailures);
    return finish(0, false);
  }

  const names = [...shares.keys()];
  const weights = groupWeightsFor([...groupCounts.keys()], groupWeights);
  let weightTotal = 0;
  for (const name of names) weightTotal += weights.get(name) ?? 0;
  if (weightTotal <= 0) {
    reasons.push('the groups with data all have weight 0; weighting them equally');
    for (const name of names) weights.set(name, 1);
    weightTotal = names.length;
  }
  let score = 0;
  for (const name of names) score += (shares.get(name)! * (weights.get(name) ?? 0)) / weightTotal;
  return finish(round2(score), false);
}
