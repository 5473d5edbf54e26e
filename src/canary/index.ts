/**
 * Canaries: the `canary/local` and `canary/judge` steps, the metric sources that feed the judge, and the
 * local canary's runner. The statistics live in src/judge (pure); this folder does the I/O around them.
 * See README.md in this folder.
 */
export { canaryConfigShape, loadCanaryConfig, type CanaryConfigInput } from './canary-config-input.js';
export { canaryOutcome, failingMetrics, recordJudgement, summariseJudgement, type JudgementSummary } from './canary-verdict.js';
export { DEFAULT_LOCAL_CONFIG, LOCAL_METRICS } from './local/local-metrics.js';
export { runLocalCanary, type IntervalJudgement, type LocalCanaryPlan, type LocalCanaryResult } from './local/local-canary.js';
export { analysisWindow, analysisWindowSchema, type AnalysisWindow, type AnalysisWindowSpec } from './sources/analysis-window.js';
export { fetchCanaryData, type CanaryScope, type Labels, type MetricQuery, type MetricSource } from './sources/metric-source.js';
export { LABELS_PLACEHOLDER, PrometheusSource, type PrometheusSourceOptions } from './sources/prometheus-source.js';
export { SamplesFileSource } from './sources/samples-file-source.js';
export { canaryJudge } from './steps/canary-judge.js';
export { canaryLocal } from './steps/canary-local.js';
