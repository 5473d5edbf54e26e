/**
 * The judge's own, normalised configuration: every default filled in, every value checked.
 *
 * Why separate from the Kayenta schema: Kayenta's JSON is external data (optional fields, nested maps,
 * unknown keys); the judge should not re-derive defaults at every use. `kayenta-config.ts` turns the
 * external form into this one.
 */
import { defaultEffectSizeThresholds, type EffectSizeThresholds } from './effect-size.js';
import { DEFAULT_OUTLIER_FACTOR, type NanStrategy, type OutlierStrategy } from './preprocessing.js';

/** Which change is bad: `increase` (latency, errors), `decrease` (throughput), or `either`. */
export type MetricDirection = 'increase' | 'decrease' | 'either';

export interface MetricConfig {
  name: string;
  /** Groups the metric scores in; a metric without groups scores in {@link DEFAULT_GROUP}. */
  groups: string[];
  direction: MetricDirection;
  nanStrategy: NanStrategy;
  outliers: { strategy: OutlierStrategy; factor: number };
  /** A failing critical metric (beyond the critical effect size), or one without data, fails the run. */
  critical: boolean;
  /** Missing data counts as a failure of this metric (NodataFailMetric) rather than being left out. */
  mustHaveData: boolean;
  /** Judged and reported, but left out of every score and rule. */
  muted: boolean;
  effectSize: EffectSizeThresholds;
}

export interface ScoreThresholds {
  /** A score at or above this passes. */
  pass: number;
  /** A score at or above this (and below `pass`) is marginal; below it fails. */
  marginal: number;
}

export interface CanaryConfig {
  metrics: MetricConfig[];
  /** Group name to weight (percent). Groups without a weight share what is left of 100 evenly. */
  groupWeights: Record<string, number>;
  scoreThresholds: ScoreThresholds;
}

export const DEFAULT_GROUP = 'default';
export const DEFAULT_SCORE_THRESHOLDS: ScoreThresholds = { pass: 95, marginal: 75 };

/** A metric configuration with Kayenta's defaults, overridden by `overrides`. */
export function defineMetric(name: string, overrides: Partial<Omit<MetricConfig, 'name'>> = {}): MetricConfig {
  return {
    name,
    groups: [],
    direction: 'either',
    nanStrategy: 'remove',
    outliers: { strategy: 'keep', factor: DEFAULT_OUTLIER_FACTOR },
    critical: false,
    mustHaveData: false,
    muted: false,
    effectSize: defaultEffectSizeThresholds(overrides.effectSize?.measure ?? 'meanRatio'),
    ...overrides,
  };
}
