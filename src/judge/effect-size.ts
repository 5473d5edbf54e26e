/**
 * Effect sizes: how *much* the experiment differs, next to the test's whether it differs.
 *
 * Why: with thousands of points the rank test calls a 0.5% latency rise significant. Kayenta gates a
 * High or Low classification on the effect size as well (`effectSize.allowedIncrease` /
 * `allowedDecrease`), and gates the run-failing critical classification on a second, larger pair
 * (`criticalIncrease` / `criticalDecrease`).
 */
import { mean } from './preprocessing.js';
import { mannWhitneyU } from './rank-sum.js';

/** `meanRatio`: experiment mean / control mean. `cles`: P(experiment > control), ties counting one half. */
export type EffectSizeMeasure = 'meanRatio' | 'cles';

export interface EffectSizeThresholds {
  measure: EffectSizeMeasure;
  /** High only if the effect size is at least this. */
  allowedIncrease: number;
  /** Low only if the effect size is at most this. */
  allowedDecrease: number;
  /** A critical metric's High fails the run only if the effect size is at least this. */
  criticalIncrease: number;
  /** A critical metric's Low fails the run only if the effect size is at most this. */
  criticalDecrease: number;
}

/** The value meaning "no effect": 1 for a ratio, 0.5 for a probability. Kayenta's defaults for all four thresholds. */
export function neutralEffectSize(measure: EffectSizeMeasure): number {
  return measure === 'cles' ? 0.5 : 1;
}

export function defaultEffectSizeThresholds(measure: EffectSizeMeasure = 'meanRatio'): EffectSizeThresholds {
  const neutral = neutralEffectSize(measure);
  return { measure, allowedIncrease: neutral, allowedDecrease: neutral, criticalIncrease: neutral, criticalDecrease: neutral };
}

/** Experiment mean over control mean; NaN when the control mean is 0 (the ratio means nothing then). */
export function meanRatio(control: Float64Array, experiment: Float64Array): number {
  const controlMean = mean(control);
  if (controlMean === 0 || Number.isNaN(controlMean)) return Number.NaN;
  return mean(experiment) / controlMean;
}

/**
 * Common-language effect size (McGraw and Wong, 1992): the probability that a random experiment point
 * exceeds a random control point, ties counting one half — U / (n m), from one merge of the sorted
 * samples instead of n m comparisons. Inputs ascending.
 */
export function commonLanguageEffectSize(controlSorted: Float64Array, experimentSorted: Float64Array): number {
  const pairs = controlSorted.length * experimentSorted.length;
  if (pairs === 0) return Number.NaN;
  return mannWhitneyU(experimentSorted, controlSorted) / pairs;
}

/** The configured measure; inputs ascending. NaN when it cannot be computed (the gate is then skipped). */
export function effectSize(measure: EffectSizeMeasure, controlSorted: Float64Array, experimentSorted: Float64Array): number {
  return measure === 'cles' ? commonLanguageEffectSize(controlSorted, experimentSorted) : meanRatio(controlSorted, experimentSorted);
}
