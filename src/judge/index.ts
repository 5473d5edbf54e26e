/**
 * The canary judge: pure functions from canary configuration and samples to a scored verdict.
 * See README.md in this folder for the method and every place it differs from Kayenta.
 */
export { benchJudge, type BenchOptions, type BenchResult } from './bench.js';
export {
  DEFAULT_GROUP,
  DEFAULT_SCORE_THRESHOLDS,
  defineMetric,
  type CanaryConfig,
  type MetricConfig,
  type MetricDirection,
  type ScoreThresholds,
} from './canary-config.js';
export { classifyMetric, type ClassifyOptions, type MetricClassification, type MetricResult, type MetricSamples, type SampleSummary } from './classify-metric.js';
export { canaryDataSchema, parseJudgeInputs, runJudgeCommand, type JudgeCommandInput, type JudgeCommandResult, type JudgeExitCode } from './cli.js';
export {
  commonLanguageEffectSize,
  defaultEffectSizeThresholds,
  effectSize,
  meanRatio,
  type EffectSizeMeasure,
  type EffectSizeThresholds,
} from './effect-size.js';
export { judgeCanary, resolveScoreThresholds, type CanaryData, type CanaryJudgement, type JudgeOptions } from './judge-canary.js';
export { fromKayentaConfig, kayentaConfigSchema, parseKayentaConfig, type KayentaConfig } from './kayenta-config.js';
export { normalCdf, normalQuantile } from './normal-distribution.js';
export { hodgesLehmannShift, pairwiseDifferenceOrderStatistic } from './pairwise-differences.js';
export { percentile, prepareSample, tukeyFences, type NanStrategy, type OutlierStrategy, type PreparedSample, type PreprocessOptions } from './preprocessing.js';
export { renderJudgementJson, renderJudgementTable } from './render-judgement.js';
export { scoreCanary, verdictFor, type CanaryScore, type CanaryVerdict } from './score-canary.js';
export { wilcoxonCdf, wilcoxonDensity, wilcoxonQuantile } from './wilcoxon-distribution.js';
export { wilcoxonTest, wilcoxonTestSorted, type WilcoxonMethod, type WilcoxonOptions, type WilcoxonResult } from './wilcoxon-test.js';
