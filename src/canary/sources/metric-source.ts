import type { CanaryData, MetricSamples } from '../../judge/index.js';

/** Label name → value; `{version: "canary"}` selects the experiment's series. */
export type Labels = Readonly<Record<string, string>>;

/** What a canary asks a metric source for: one metric, both sides, one window. */
export interface MetricQuery {
  /** The metric's name in the canary config. */
  metric: string;
  /** Selects the control (baseline) series. */
  control: Labels;
  /** Selects the experiment (canary) series. */
  experiment: Labels;
  start: Date;
  end: Date;
  /** Resolution: one point per `stepMs`. */
  stepMs: number;
}

/**
 * Where a canary's samples come from (Prometheus, a file of samples, the local canary's own
 * measurements). A source only fetches: it never judges, so the judge stays pure and every source is
 * judged the same way. `null` marks a missing point (Prometheus' `NaN`), which the judge's `nanStrategy`
 * handles.
 */
export interface MetricSource {
  /** A short name for logs and events (`prometheus`, `samples-file`). */
  readonly kind: string;
  fetch(query: MetricQuery, signal: AbortSignal): Promise<MetricSamples>;
}

/** The control and experiment selectors and the window, shared by every metric of one canary. */
export type CanaryScope = Omit<MetricQuery, 'metric'>;

/**
 * Fetches every metric of a canary, a few at a time (a config with a hundred metrics must not open two
 * hundred connections to Prometheus at once), into the judge's input.
 */
export async function fetchCanaryData(source: MetricSource, metrics: readonly string[], scope: CanaryScope, signal: AbortSignal, parallel = 4): Promise<CanaryData> {
  const data: CanaryData = { metrics: {} };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < metrics.length) {
      const metric = metrics[next++];
      if (metric === undefined) continue;
      data.metrics[metric] = await source.fetch({ ...scope, metric }, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, metrics.length) }, worker));
  return data;
}
