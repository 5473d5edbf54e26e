import { resolve } from 'node:path';
import { z } from 'zod';
import { judgeCanary, type CanaryData } from '../../judge/index.js';
import { parseDuration } from '../../model/duration.js';
import { defineStep } from '../../sdk/step.js';
import { atMostOne, canaryConfigShape, loadCanaryConfig } from '../canary-config-input.js';
import { canaryOutcome, judgementOutputShape, recordJudgement, summariseJudgement } from '../canary-verdict.js';
import { analysisWindow, analysisWindowSchema } from '../sources/analysis-window.js';
import { fetchCanaryData } from '../sources/metric-source.js';
import { LABELS_PLACEHOLDER, PrometheusSource } from '../sources/prometheus-source.js';
import { SamplesFileSource } from '../sources/samples-file-source.js';

const labels = z.record(z.string(), z.string());
const duration = z.string().refine((value) => parseDuration(value) !== undefined, { message: 'must be a duration such as 30s' });

const prometheusInput = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe('the Prometheus server, e.g. http://prometheus:9090'),
  queries: z
    .record(z.string(), z.string().refine((query) => query.includes(LABELS_PLACEHOLDER), { message: `a query must contain ${LABELS_PLACEHOLDER}, where each side's label matchers go` }))
    .describe('PromQL per metric name, with $labels where the label matchers go'),
  control: labels.describe('label matchers of the baseline, e.g. {version: baseline}'),
  experiment: labels.describe('label matchers of the canary, e.g. {version: canary}'),
  labels: labels.optional().describe('matchers both sides share, e.g. {job: checkout}'),
  timeout: duration.default('30s').describe('per request'),
});

const input = z
  .strictObject({
    ...canaryConfigShape,
    prometheus: prometheusInput.optional().describe('read the samples from Prometheus: range queries over `window`'),
    samples: z.string().min(1).optional().describe('read the samples from a JSON file ({"metrics": {name: {control, experiment}}}) instead'),
    window: analysisWindowSchema.default({ lookback: '10m', warmup: '0s', step: '15s' }).describe('the stretch of time compared (Prometheus only)'),
  })
  .superRefine((value, context) => {
    atMostOne(value, ['config', 'configFile'], context);
    atMostOne(value, ['prometheus', 'samples'], context);
    if (value.config === undefined && value.configFile === undefined) context.addIssue({ code: 'custom', message: 'give the canary config: `config` or `configFile`', path: ['config'] });
    if (value.prometheus === undefined && value.samples === undefined) context.addIssue({ code: 'custom', message: 'give a metric source: `prometheus` or `samples`', path: ['prometheus'] });
  });

const output = z.strictObject({
  ...judgementOutputShape,
  source: z.enum(['prometheus', 'samples-file']),
});

const exampleConfig = {
  metrics: [
    { name: 'latency_p99', groups: ['latency'], analysisConfigurations: { canary: { direction: 'increase' as const, critical: true, effectSize: { allowedIncrease: 1.1, criticalIncrease: 1.5 } } } },
    { name: 'error_rate', groups: ['errors'], analysisConfigurations: { canary: { direction: 'increase' as const } } },
  ],
};

/**
 * Judges a canary that already ran somewhere else — a deployment whose baseline and canary report to
 * Prometheus, or a load test that wrote its samples to a file — with the same judge, the same outcome
 * mapping and the same `canary.judgement` event as `canary/local`.
 */
export const canaryJudge = defineStep({
  id: 'canary/judge',
  description: 'Judges a canary from Prometheus range queries or a file of samples; a marginal or inconclusive canary needs a human, a failing one fails the run.',
  kind: 'validate',
  workspace: false,
  input,
  output,
  examples: [
    {
      title: 'Compare the canary with the baseline in Prometheus over the last 30 minutes',
      with: {
        config: exampleConfig,
        prometheus: {
          url: 'http://prometheus:9090',
          queries: {
            latency_p99: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{$labels}[1m])))',
            error_rate: 'sum(rate(http_requests_total{code=~"5..",$labels}[1m])) / sum(rate(http_requests_total{$labels}[1m]))',
          },
          labels: { job: 'checkout' },
          control: { version: 'baseline' },
          experiment: { version: 'canary' },
        },
        window: { lookback: '30m', warmup: '5m', step: '30s' },
      },
    },
    { title: 'Judge samples a load test wrote, with a Kayenta config file', with: { configFile: 'canary/checkout.json', samples: 'build/canary-samples.json', thresholds: { pass: 90 } } },
  ],
  async run(args, ctx) {
    const { config, thresholds } = await loadCanaryConfig(args);
    let data: CanaryData;
    let details: Record<string, unknown>;
    const prometheus = args.prometheus;
    if (prometheus !== undefined) {
      const window = analysisWindow(args.window, new Date());
      const source = new PrometheusSource({ url: prometheus.url, queries: prometheus.queries, labels: prometheus.labels, timeoutMs: parseDuration(prometheus.timeout) });
      const metrics = config.metrics.map((metric) => metric.name);
      ctx.log.info('querying Prometheus', { metrics: metrics.length, start: window.start.toISOString(), end: window.end.toISOString(), stepMs: window.stepMs });
      data = await fetchCanaryData(source, metrics, { control: prometheus.control, experiment: prometheus.experiment, ...window }, ctx.signal);
      details = { source: 'prometheus', window: { start: window.start.toISOString(), end: window.end.toISOString(), stepMs: window.stepMs } };
    } else {
      // The schema guarantees one source: without `prometheus`, `samples` is set.
      const file = args.samples ?? '';
      data = await new SamplesFileSource(resolve(file)).readAll();
      details = { source: 'samples-file', file };
    }
    const judgement = judgeCanary(config, data, { scoreThresholds: thresholds });
    recordJudgement(ctx, judgement, thresholds, details);
    return canaryOutcome(judgement, thresholds, { ...summariseJudgement(judgement), source: prometheus !== undefined ? ('prometheus' as const) : ('samples-file' as const) });
  },
});
