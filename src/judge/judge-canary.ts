/**
 * The canary judge's entry point: configuration and samples in, a scored verdict with its reasons out.
 * Pure — no I/O, no clock, no randomness — so the same inputs always give the same judgement, and the
 * engine can replay or re-explain a decision from what it stored.
 *
 * @example
 * ```ts
 * const config = parseKayentaConfig(JSON.parse(configText));
 * const judgement = judgeCanary(config, { metrics: { latency: { control: [10, 11, 12], experiment: [30, 31, null] } } });
 * judgement.verdict; // 'pass' | 'marginal' | 'fail'
 * ```
 */
import { badInput } from '../model/errors.js';
import type { CanaryConfig, ScoreThresholds } from './canary-config.js';
import { classifyMetric, type ClassifyOptions, type MetricResult, type MetricSamples } from './classify-metric.js';
import { scoreCanary, type CanaryScore } from './score-canary.js';

export interface CanaryData {
  /** Samples per metric name; `null` marks a missing point. */
  metrics: Record<string, MetricSamples>;
}

export interface JudgeOptions extends ClassifyOptions {
  /** Overrides the config's score thresholds. */
  scoreThresholds?: Partial<ScoreThresholds>;
}

export interface CanaryJudgement extends CanaryScore {
  metrics: MetricResult[];
}

/** Score thresholds from the options over the config; throws bad-input when they are out of order or range. */
export function resolveScoreThresholds(config: CanaryConfig, override: Partial<ScoreThresholds> = {}): ScoreThresholds {
  const thresholds = { pass: override.pass ?? config.scoreThresholds.pass, marginal: override.marginal ?? config.scoreThresholds.marginal };
  for (const [field, value] of Object.entries(thresholds)) {
    if (!(value >= 0 && value <= 100)) throw badInput(`the ${field} threshold must be between 0 and 100, not ${value}`, { field });
  }
  if (thresholds.marginal > thresholds.pass) {
    throw badInput(`the marginal threshold (${thresholds.marginal}) must not be above the pass threshold (${thresholds.pass})`, { field: 'marginal' });
  }
  return thresholds;
}

/** Judges a canary: classifies every configured metric, then scores the run. */
export function judgeCanary(config: CanaryConfig, data: CanaryData, options: JudgeOptions = {}): CanaryJudgement {
  const thresholds = resolveScoreThresholds(config, options.scoreThresholds);
  const classifyOptions: ClassifyOptions = { confidenceLevel: options.confidenceLevel, tolerance: options.tolerance };
  const missing: string[] = [];
  const metrics = config.metrics.map((metric) => {
    const samples = Object.hasOwn(data.metrics, metric.name) ? data.metrics[metric.name] : undefined;
    if (!samples) missing.push(metric.name);
    return classifyMetric(metric, samples ?? { control: [], experiment: [] }, classifyOptions);
  });

  const configured = new Set(config.metrics.map((metric) => metric.name));
  const unknown = Object.keys(data.metrics).filter((name) => !configured.has(name));
  const score = scoreCanary(metrics, config.groupWeights, thresholds);
  const reasons: string[] = [];
  if (missing.length > 0) reasons.push(`no samples given for: ${missing.join(', ')}`);
  if (unknown.length > 0) reasons.push(`ignored samples of metrics not in the config: ${unknown.join(', ')}`);
  return { ...score, reasons: [...reasons, ...score.reasons], metrics };
}
