/**
 * Kayenta's canary-config JSON, accepted as is, so teams moving from Spinnaker keep their configs.
 *
 * External data, so the schema is tolerant: unknown fields (`query`, `scopeName`, `templates`,
 * `judge`, `applications`, ...) are ignored, `null` counts as absent, and numbers or booleans written
 * as strings are read. Values of the fields we use must be valid, though: a `direction` of "increse"
 * is an error naming the field, where Kayenta would silently judge "either".
 */
import { z } from 'zod';
import { DEFAULT_SCORE_THRESHOLDS, defineMetric, type CanaryConfig, type MetricConfig } from './canary-config.js';
import { defaultEffectSizeThresholds } from './effect-size.js';
import { DEFAULT_OUTLIER_FACTOR } from './preprocessing.js';

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
/** A finite number, or a string holding one (some exporters quote numbers). */
const finiteNumber = z.preprocess(
  (value) => (typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value),
  z.number({ error: 'expected a number' }).finite(),
);
/** A boolean, or the string "true" / "false". */
const booleanLike = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'expected true or false' }),
);

const effectSizeSchema = z.object({
  measure: z.enum(['meanRatio', 'cles']).nullish(),
  allowedIncrease: finiteNumber.nullish(),
  allowedDecrease: finiteNumber.nullish(),
  criticalIncrease: finiteNumber.nullish(),
  criticalDecrease: finiteNumber.nullish(),
});

const canaryAnalysisSchema = z.object({
  direction: z.enum(['increase', 'decrease', 'either']).nullish(),
  nanStrategy: z.enum(['remove', 'replace']).nullish(),
  outliers: z
    .object({
      strategy: z.enum(['remove', 'keep']).nullish(),
      outlierFactor: finiteNumber.pipe(z.number().positive()).nullish(),
    })
    .nullish(),
  critical: booleanLike.nullish(),
  mustHaveData: booleanLike.nullish(),
  muted: booleanLike.nullish(),
  effectSize: effectSizeSchema.nullish(),
});

const metricSchema = z.object({
  name: z.string().min(1, 'a metric needs a name'),
  groups: z.array(z.string().min(1)).nullish(),
  analysisConfigurations: z.object({ canary: canaryAnalysisSchema.nullish() }).nullish(),
});

const thresholdSchema = finiteNumber.pipe(z.number().min(0).max(100));

/** Kayenta's canary config, the parts the judge reads. */
export const kayentaConfigSchema = z
  .object({
    name: z.string().nullish(),
    metrics: z.array(metricSchema).min(1, 'a canary config needs at least one metric'),
    classifier: z
      .object({
        groupWeights: z.record(z.string(), finiteNumber.pipe(z.number().min(0))).nullish(),
        scoreThresholds: z.object({ pass: thresholdSchema.nullish(), marginal: thresholdSchema.nullish() }).nullish(),
      })
      .nullish(),
  })
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.metrics.forEach((metric, index) => {
      if (seen.has(metric.name)) {
        context.addIssue({ code: 'custom', message: `metric name '${metric.name}' is used twice; names must be unique`, path: ['metrics', index, 'name'] });
      }
      seen.add(metric.name);
    });
    const thresholds = config.classifier?.scoreThresholds;
    if (thresholds?.pass != null && thresholds.marginal != null && thresholds.marginal > thresholds.pass) {
      context.addIssue({ code: 'custom', message: 'marginal must not be above pass', path: ['classifier', 'scoreThresholds', 'marginal'] });
    }
  });

export type KayentaConfig = z.output<typeof kayentaConfigSchema>;
type KayentaMetric = KayentaConfig['metrics'][number];

function toMetricConfig(metric: KayentaMetric): MetricConfig {
  const canary = metric.analysisConfigurations?.canary;
  const measure = canary?.effectSize?.measure ?? 'meanRatio';
  const neutral = defaultEffectSizeThresholds(measure);
  const effect = canary?.effectSize;
  return defineMetric(metric.name, {
    groups: metric.groups ?? [],
    direction: canary?.direction ?? 'either',
    nanStrategy: canary?.nanStrategy ?? 'remove',
    outliers: { strategy: canary?.outliers?.strategy ?? 'keep', factor: canary?.outliers?.outlierFactor ?? DEFAULT_OUTLIER_FACTOR },
    critical: canary?.critical ?? false,
    mustHaveData: canary?.mustHaveData ?? false,
    muted: canary?.muted ?? false,
    effectSize: {
      measure,
      allowedIncrease: effect?.allowedIncrease ?? neutral.allowedIncrease,
      allowedDecrease: effect?.allowedDecrease ?? neutral.allowedDecrease,
      criticalIncrease: effect?.criticalIncrease ?? neutral.criticalIncrease,
      criticalDecrease: effect?.criticalDecrease ?? neutral.criticalDecrease,
    },
  });
}

/** The judge's configuration from a parsed Kayenta config, with Kayenta's defaults filled in. */
export function fromKayentaConfig(config: KayentaConfig): CanaryConfig {
  const thresholds = config.classifier?.scoreThresholds;
  return {
    metrics: config.metrics.map(toMetricConfig),
    groupWeights: config.classifier?.groupWeights ?? {},
    scoreThresholds: {
      pass: thresholds?.pass ?? DEFAULT_SCORE_THRESHOLDS.pass,
      marginal: thresholds?.marginal ?? DEFAULT_SCORE_THRESHOLDS.marginal,
    },
  };
}

/** Parses and converts in one go; throws zod's error (the CLI turns it into a located bad-input error). */
export function parseKayentaConfig(json: unknown): CanaryConfig {
  return fromKayentaConfig(kayentaConfigSchema.parse(json));
}
