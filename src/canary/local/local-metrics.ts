import type { z } from 'zod';
import { percentile, type CanaryData, type kayentaConfigSchema } from '../../judge/index.js';
import type { ResponseRecord } from './load-recorder.js';
import type { MemorySample } from './memory-sampler.js';

/** What one side of the local canary recorded. */
export interface SideRecording {
  responses: readonly ResponseRecord[];
  /** Times of requests that got no response (timeout, reset, refused). */
  errors: readonly number[];
  memory: readonly MemorySample[];
}

export interface SideCounts {
  /** Requests that ended in the window: answered or not. */
  requests: number;
  /** Answered with a status below 400. */
  ok: number;
  /** Answered with 4xx or 5xx. */
  failed: number;
  /** Not answered at all (timeout, reset, refused). */
  errors: number;
}

/** The metrics the local canary measures, with the names its default config (and a custom one) uses. */
export const LOCAL_METRICS = ['latency_p50', 'latency_p99', 'error_rate', 'memory_rss_mb'] as const;

/**
 * The built-in canary config for a local canary (Kayenta's format, so a campaign can copy and adjust it):
 * latency and errors decide, memory counts for a fifth.
 *
 * The latency effect sizes are wide on purpose. Two builds of the *same* code, measured side by side on
 * one busy machine, differ in median latency by whatever the scheduler favours, not the code: over 24 runs
 * of a harmless change on a two-core machine at load average 6–9, the ratio of mean per-bucket medians
 * was 0.63–1.40, and twice about 2 (p99: up to 2.2). So the local canary flags a median doubled and fails
 * the run at ×3 — it catches an added round trip, a lock, a sleep, not a few percent; that precision needs
 * production traffic and `canary/judge`. Any rise of the error rate from zero fails the run (critical:
 * with a baseline at 0 there is no ratio to gate it).
 */
export const DEFAULT_LOCAL_CONFIG: z.input<typeof kayentaConfigSchema> = {
  name: 'flotilla local canary',
  metrics: [
    { name: 'latency_p50', groups: ['latency'], analysisConfigurations: { canary: { direction: 'increase', critical: true, effectSize: { allowedIncrease: 2, criticalIncrease: 3 } } } },
    { name: 'latency_p99', groups: ['latency'], analysisConfigurations: { canary: { direction: 'increase', effectSize: { allowedIncrease: 2.5 } } } },
    { name: 'error_rate', groups: ['errors'], analysisConfigurations: { canary: { direction: 'increase', critical: true, effectSize: { allowedIncrease: 1.5, criticalIncrease: 2 } } } },
    { name: 'memory_rss_mb', groups: ['resources'], analysisConfigurations: { canary: { direction: 'increase', effectSize: { allowedIncrease: 1.25 } } } },
  ],
  classifier: { groupWeights: { latency: 50, errors: 30, resources: 20 }, scoreThresholds: { pass: 95, marginal: 75 } },
};

export function countsOf(side: SideRecording, from: number, to: number): SideCounts {
  const counts: SideCounts = { requests: 0, ok: 0, failed: 0, errors: 0 };
  for (const response of side.responses) {
    if (response.at < from || response.at >= to) continue;
    if (response.status < 400) counts.ok++;
    else counts.failed++;
  }
  for (const at of side.errors) if (at >= from && at < to) counts.errors++;
  counts.requests = counts.ok + counts.failed + counts.errors;
  return counts;
}

interface Bucket {
  latencies: number[];
  requests: number;
  bad: number;
}

/**
 * One side's samples over `[from, to)`: every whole `bucketMs` one point per metric — the median and 99th
 * percentile latency of the successful responses that completed in it, and the share of requests that
 * failed (4xx, 5xx or no answer) — plus every memory reading. A bucket without successful responses
 * has no latency point (missing, not zero): a service that answers only errors has no latency to judge,
 * and without requests it has no error rate either.
 */
export function sideSamples(side: SideRecording, from: number, to: number, bucketMs: number): Record<(typeof LOCAL_METRICS)[number], (number | null)[]> {
  // Whole buckets only: a sliver at the end would give a point from a handful of requests.
  const count = Math.max(1, Math.floor((to - from) / bucketMs));
  const end = from + count * bucketMs;
  const buckets: Bucket[] = Array.from({ length: count }, () => ({ latencies: [], requests: 0, bad: 0 }));
  const bucketOf = (at: number): Bucket | undefined => (at >= from && at < end ? buckets[Math.floor((at - from) / bucketMs)] : undefined);
  for (const response of side.responses) {
    const bucket = bucketOf(response.at);
    if (!bucket) continue;
    bucket.requests++;
    if (response.status < 400) bucket.latencies.push(response.latencyMs);
    else bucket.bad++;
  }
  for (const at of side.errors) {
    const bucket = bucketOf(at);
    if (!bucket) continue;
    bucket.requests++;
    bucket.bad++;
  }
  const quantile = (bucket: Bucket, p: number): number | null =>
    bucket.latencies.length === 0 ? null : percentile(Float64Array.from(bucket.latencies).sort(), p);
  return {
    latency_p50: buckets.map((bucket) => quantile(bucket, 50)),
    latency_p99: buckets.map((bucket) => quantile(bucket, 99)),
    error_rate: buckets.map((bucket) => (bucket.requests === 0 ? null : bucket.bad / bucket.requests)),
    memory_rss_mb: side.memory.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.mb),
  };
}

/** Both sides as the judge's input. */
export function localCanaryData(control: SideRecording, experiment: SideRecording, from: number, to: number, bucketMs: number): CanaryData {
  const controlSamples = sideSamples(control, from, to, bucketMs);
  const experimentSamples = sideSamples(experiment, from, to, bucketMs);
  const data: CanaryData = { metrics: {} };
  for (const metric of LOCAL_METRICS) data.metrics[metric] = { control: controlSamples[metric], experiment: experimentSamples[metric] };
  return data;
}
