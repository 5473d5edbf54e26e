/**
 * One metric's verdict: control and experiment samples in, a classification with the numbers behind it
 * and a one-line reason out.
 *
 * The rule is Kayenta's Mann-Whitney classifier: the experiment is High when the whole confidence
 * interval of the shift (experiment - control) lies above a tolerance band of ±tolerance * |estimate|,
 * Low when it lies below, and the effect size must clear the allowed increase / decrease as well. The
 * band makes "significant but tiny relative to its own estimate" shifts pass. Where we part from
 * Kayenta (no-data and error handling, no random noise) is listed in README.md.
 */
import type { MetricConfig } from './canary-config.js';
import { effectSize } from './effect-size.js';
import { formatInterval, formatNumber } from './format-number.js';
import { mean, prepareSample, type PreparedSample } from './preprocessing.js';
import { wilcoxonTestSorted, type WilcoxonMethod, type WilcoxonResult } from './wilcoxon-test.js';

export type MetricClassification = 'Pass' | 'High' | 'Low' | 'Nodata' | 'NodataFailMetric' | 'Error';

export interface SampleSummary {
  /** Points received, including missing ones. */
  received: number;
  /** Points the test used, after missing values and outliers. */
  used: number;
  missing: number;
  outliers: number;
  /** Mean of the points used; null without data. */
  mean: number | null;
}

export interface MetricResult {
  name: string;
  groups: string[];
  classification: MetricClassification;
  /** The metric is configured critical. */
  critical: boolean;
  /** This result fails the whole run (a critical metric failed beyond its critical effect size, had no data, or errored). */
  criticalFailure: boolean;
  muted: boolean;
  direction: MetricConfig['direction'];
  /** Hodges-Lehmann estimate of experiment - control. */
  estimate: number | null;
  /** Confidence interval of the shift. */
  interval: [number, number] | null;
  /** ±tolerance * |estimate|: the interval must clear it to be High or Low. */
  toleranceBand: [number, number] | null;
  effectSize: number | null;
  effectSizeMeasure: MetricConfig['effectSize']['measure'];
  pValue: number | null;
  method: WilcoxonMethod | null;
  /** The interval's confidence level (lower than requested when tiny samples cannot reach it). */
  confidenceLevel: number | null;
  control: SampleSummary;
  experiment: SampleSummary;
  reason: string;
}

export interface ClassifyOptions {
  /** Confidence level of the interval; default 0.98 (Kayenta's). */
  confidenceLevel?: number;
  /** Tolerance band as a fraction of |estimate|; default 0.25 (Kayenta's). */
  tolerance?: number;
}

export interface MetricSamples {
  control: readonly (number | null)[];
  experiment: readonly (number | null)[];
}

function summarise(sample: PreparedSample): SampleSummary {
  const used = sample.values.length;
  return { received: sample.received, used, missing: sample.missing, outliers: sample.outliers, mean: used === 0 ? null : mean(sample.values) };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Classifies one metric. Pure: the same samples and configuration always give the same result. */
export function classifyMetric(config: MetricConfig, samples: MetricSamples, options: ClassifyOptions = {}): MetricResult {
  const confidenceLevel = options.confidenceLevel ?? 0.98;
  const tolerance = options.tolerance ?? 0.25;
  const preprocess = { nanStrategy: config.nanStrategy, outliers: config.outliers };
  const control = prepareSample(samples.control, preprocess);
  const experiment = prepareSample(samples.experiment, preprocess);
  const muted = config.muted ? ' (muted: not scored)' : '';
  const base: MetricResult = {
    name: config.name,
    groups: config.groups,
    classification: 'Pass',
    critical: config.critical,
    criticalFailure: false,
    muted: config.muted,
    direction: config.direction,
    estimate: null,
    interval: null,
    toleranceBand: null,
    effectSize: null,
    effectSizeMeasure: config.effectSize.measure,
    pValue: null,
    method: null,
    confidenceLevel: null,
    control: summarise(control),
    experiment: summarise(experiment),
    reason: '',
  };

  if (control.values.length === 0 || experiment.values.length === 0) {
    const classification = config.mustHaveData ? 'NodataFailMetric' : 'Nodata';
    const required = config.mustHaveData ? ', and the metric must have data' : '';
    const critical = config.critical ? '; critical metric without data fails the run' : '';
    const reason = `no data: ${control.values.length} usable control and ${experiment.values.length} usable experiment points${required}${critical}`;
    return { ...base, classification, criticalFailure: config.critical, reason: reason + muted };
  }

  let test: WilcoxonResult;
  try {
    test = wilcoxonTestSorted(experiment.values, control.values, { confidenceLevel });
    if (![test.estimate, test.lower, test.upper].every(Number.isFinite)) throw new RangeError('the shift interval is not finite');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const critical = config.critical ? '; critical metric in error fails the run' : '';
    return { ...base, classification: 'Error', criticalFailure: config.critical, reason: `could not be judged: ${message}${critical}${muted}` };
  }

  const effect = effectSize(config.effectSize.measure, control.values, experiment.values);
  const band = tolerance * Math.abs(test.estimate);
  const judged: MetricResult = {
    ...base,
    estimate: test.estimate,
    interval: [test.lower, test.upper],
    toleranceBand: [-band, band],
    effectSize: finiteOrNull(effect),
    pValue: test.pValue,
    method: test.method,
    confidenceLevel: test.confidenceLevel,
  };
  const verdict = decide(config, test, band, effect);
  const identical = sameValues(control.values, experiment.values);
  if (identical) return { ...judged, reason: `control and experiment data are identical${muted}` };
  return { ...judged, ...verdict, reason: verdict.reason + muted };
}

type Decision = Pick<MetricResult, 'classification' | 'criticalFailure' | 'reason'>;

function decide(config: MetricConfig, test: WilcoxonResult, band: number, effect: number): Decision {
  const thresholds = config.effectSize;
  const interval = formatInterval([test.lower, test.upper]);
  const bandText = `±${formatNumber(band)}`;
  const effectText = `${thresholds.measure} ${formatNumber(effect)}`;
  const above = test.lower > band;
  const below = test.upper < -band;
  const mayBeHigh = config.direction !== 'decrease';
  const mayBeLow = config.direction !== 'increase';
  const ungated = Number.isNaN(effect); // Kayenta skips the effect-size gate when it cannot be computed

  if (above && mayBeHigh) {
    if (!ungated && effect < thresholds.allowedIncrease) {
      return { classification: 'Pass', criticalFailure: false, reason: `shift interval ${interval} is above the band ${bandText}, but ${effectText} is under the allowed increase ${formatNumber(thresholds.allowedIncrease)}` };
    }
    const critical = config.critical && (ungated || effect >= thresholds.criticalIncrease);
    const criticalText = critical ? `; critical (${effectText} >= ${formatNumber(thresholds.criticalIncrease)}): fails the run` : '';
    return { classification: 'High', criticalFailure: critical, reason: `experiment higher: shift interval ${interval} is above the band ${bandText}, ${effectText}${criticalText}` };
  }
  if (below && mayBeLow) {
    if (!ungated && effect > thresholds.allowedDecrease) {
      return { classification: 'Pass', criticalFailure: false, reason: `shift interval ${interval} is below the band ${bandText}, but ${effectText} is over the allowed decrease ${formatNumber(thresholds.allowedDecrease)}` };
    }
    const critical = config.critical && (ungated || effect <= thresholds.criticalDecrease);
    const criticalText = critical ? `; critical (${effectText} <= ${formatNumber(thresholds.criticalDecrease)}): fails the run` : '';
    return { classification: 'Low', criticalFailure: critical, reason: `experiment lower: shift interval ${interval} is below the band ${bandText}, ${effectText}${criticalText}` };
  }
  if (above || below) {
    const way = above ? 'an increase' : 'a decrease';
    return { classification: 'Pass', criticalFailure: false, reason: `shift interval ${interval} shows ${way}, which direction '${config.direction}' allows` };
  }
  return { classification: 'Pass', criticalFailure: false, reason: `shift interval ${interval} overlaps the band ${bandText}` };
}
