import { z } from 'zod';
import { renderJudgementTable, type CanaryJudgement, type ScoreThresholds } from '../judge/index.js';
import { failRun, needsHuman, type EndRun, type StepContext } from '../sdk/step.js';

/** One metric in a canary step's output: enough to see why, without every statistic. */
export const metricSummarySchema = z.strictObject({
  name: z.string(),
  classification: z.string(),
  controlMean: z.number().nullable(),
  experimentMean: z.number().nullable(),
  effectSize: z.number().nullable(),
  reason: z.string(),
});

/** The output fields every canary step has: the verdict, the score and the per-metric summary. */
export const judgementOutputShape = {
  verdict: z.enum(['pass', 'marginal', 'fail']),
  inconclusive: z.boolean(),
  score: z.number(),
  metrics: z.array(metricSummarySchema),
};

export interface JudgementSummary {
  verdict: 'pass' | 'marginal' | 'fail';
  inconclusive: boolean;
  score: number;
  metrics: z.output<typeof metricSummarySchema>[];
}

const finiteOrNull = (value: number | null): number | null => (value === null || !Number.isFinite(value) ? null : value);

export function summariseJudgement(judgement: CanaryJudgement): JudgementSummary {
  return {
    verdict: judgement.verdict,
    inconclusive: judgement.inconclusive,
    score: judgement.score,
    metrics: judgement.metrics.map((metric) => ({
      name: metric.name,
      classification: metric.classification,
      controlMean: finiteOrNull(metric.control.mean),
      experimentMean: finiteOrNull(metric.experiment.mean),
      effectSize: finiteOrNull(metric.effectSize),
      reason: metric.reason,
    })),
  };
}

/**
 * Puts the judgement where people look: the metric table in the step log (`flotilla logs`), and one
 * `canary.judgement` event (`flotilla events`) with the verdict, the score, the reasons and each metric's
 * class and effect size, plus what the step adds (`details`: the source, the window, the intervals).
 */
export function recordJudgement(ctx: StepContext, judgement: CanaryJudgement, thresholds: ScoreThresholds, details: Record<string, unknown>): void {
  ctx.log.output(renderJudgementTable(judgement, thresholds));
  ctx.emit('canary.judgement', {
    verdict: judgement.verdict,
    score: judgement.score,
    inconclusive: judgement.inconclusive,
    thresholds,
    reasons: judgement.reasons,
    metrics: judgement.metrics.map((metric) => ({ name: metric.name, classification: metric.classification, effectSize: finiteOrNull(metric.effectSize) })),
    ...details,
  });
}

/** `latency_p50 High: experiment higher: …` for each scored metric that did not pass. */
export function failingMetrics(judgement: CanaryJudgement): string[] {
  return judgement.metrics.filter((metric) => !metric.muted && metric.classification !== 'Pass' && metric.classification !== 'Nodata').map((metric) => `${metric.name} ${metric.classification}: ${metric.reason}`);
}

/**
 * What a canary's judgement does to the run (issue 4, item 5): a pass lets the run go on; a marginal
 * score asks a person, naming the metrics that did not pass; a fail ends the run as failed with them; an
 * inconclusive canary (too little data, a baseline that served no traffic) asks a person too — sparse
 * data is never a pass.
 */
export function canaryOutcome<O>(judgement: CanaryJudgement, thresholds: ScoreThresholds, output: O): O | EndRun<O> {
  const score = `score ${judgement.score} (pass >= ${thresholds.pass}, marginal >= ${thresholds.marginal})`;
  if (judgement.inconclusive) {
    // The judge's own `inconclusive: …` reason says why; the others (groups left out, the score) follow from it.
    const why = judgement.reasons.filter((reason) => reason.startsWith('inconclusive: ')).map((reason) => reason.slice('inconclusive: '.length));
    return needsHuman([`canary inconclusive: ${why.join('; ') || 'not enough data to judge'}`], output);
  }
  if (judgement.verdict === 'pass') return output;
  if (judgement.verdict === 'marginal') return needsHuman([`canary marginal: ${score}`, ...failingMetrics(judgement)], output);
  return failRun([`canary failed: ${score}`, ...failingMetrics(judgement)], output);
}
