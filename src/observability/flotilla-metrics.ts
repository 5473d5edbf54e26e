import type { RunEvent } from '../model/events.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { DURATION_BUCKETS, MetricsRegistry, type Counter, type Histogram } from './metrics.js';

/**
 * The series `flotilla server` and `flotilla worker` expose on `/metrics`. Counters and histograms count
 * what this process did (Prometheus sums them across processes); the gauges read the database at scrape
 * time, so any one process shows the whole fleet's runs and queue.
 */
export interface FlotillaMetrics {
  registry: MetricsRegistry;
  stepsStarted: Counter;
  stepsFinished: Counter;
  stepsFailed: Counter;
  stepDuration: Histogram;
  /** Job added → a worker starts it (worker side). */
  dispatchLatency: Histogram;
}

export interface MetricsSource {
  store: PostgresStore;
  /** graphile-worker's schema, for the queue depth. */
  workerSchema: string;
}

export function createFlotillaMetrics(source: MetricsSource | undefined): FlotillaMetrics {
  const registry = new MetricsRegistry();
  const metrics: FlotillaMetrics = {
    registry,
    stepsStarted: registry.counter('flotilla_steps_started_total', 'Step attempts started, by campaign and step.'),
    stepsFinished: registry.counter('flotilla_steps_finished_total', 'Step attempts finished, by campaign, step and result (succeeded, failed, waiting).'),
    stepsFailed: registry.counter('flotilla_steps_failed_total', 'Step attempts that failed, by campaign and step.'),
    stepDuration: registry.histogram('flotilla_step_duration_seconds', 'How long step attempts ran, by campaign and step.', DURATION_BUCKETS),
    dispatchLatency: registry.histogram('flotilla_step_dispatch_seconds', 'From a step job being queued to a worker starting it.', DURATION_BUCKETS),
  };
  if (!source) return metrics;
  const { store, workerSchema } = source;
  registry.gauge('flotilla_runs', 'Runs by campaign, status (running, waiting, done) and outcome.', async () => {
    const { rows } = await store.query<{ campaign: string; status: string; outcome: string; count: string }>(
      `SELECT campaign, status, coalesce(outcome, '') AS outcome, count(*) AS count FROM ${store.table('runs')} GROUP BY 1, 2, 3`,
    );
    return rows.map((row) => ({ labels: { campaign: row.campaign, status: row.status, outcome: row.outcome }, value: Number(row.count) }));
  });
  registry.gauge('flotilla_queue_depth', 'Step jobs waiting for a worker (due and not locked), by queue.', async () => {
    const { rows } = await store.query<{ task: string; count: string }>(
      `SELECT task_identifier AS task, count(*) AS count FROM "${workerSchema.replaceAll('"', '""')}".jobs
       WHERE locked_at IS NULL AND run_at <= now() AND attempts < max_attempts AND task_identifier LIKE 'flotilla.step%' GROUP BY 1`,
    );
    return rows.map((row) => ({ labels: { queue: row.task.replace(/^flotilla\.step\.?/, '') || 'default' }, value: Number(row.count) }));
  });
  registry.gauge('flotilla_workers_alive', 'Worker processes with a fresh heartbeat.', async () => {
    const { rows } = await store.query<{ count: string }>(`SELECT count(*) AS count FROM ${store.table('workers')} WHERE heartbeat_at > now() - interval '10 seconds'`);
    return [{ labels: {}, value: Number(rows[0]?.count ?? 0) }];
  });
  return metrics;
}

/** Counts a run's step events as the server's runners apply them. */
export function observeEvent(metrics: FlotillaMetrics, campaign: string, event: RunEvent): void {
  if (event.type === 'step.started') {
    metrics.stepsStarted.inc({ campaign, step: event.data.step });
    return;
  }
  if (event.type !== 'step.succeeded' && event.type !== 'step.failed' && event.type !== 'step.waiting') return;
  const result = event.type === 'step.succeeded' ? 'succeeded' : event.type === 'step.failed' ? 'failed' : 'waiting';
  metrics.stepsFinished.inc({ campaign, step: event.data.step, result });
  if (result === 'failed') metrics.stepsFailed.inc({ campaign, step: event.data.step });
  metrics.stepDuration.observe({ campaign, step: event.data.step }, event.data.durationMs / 1000);
}
