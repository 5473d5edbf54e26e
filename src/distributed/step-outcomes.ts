import type { StepOutcome } from '../engine/execute-step.js';
import type { RunState } from '../model/run.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { jobKeyOf, outcomeChannelOf, parseOutcome, type StepJobPayload } from './step-job.js';

export type AttemptRef = Pick<StepJobPayload, 'runId' | 'step' | 'attempt'>;

export interface RecordedBy {
  /** The worker's name (its home flag). */
  worker: string;
  queuedAt: Date;
  startedAt: Date;
  /** Set when the step used the workspace: the run's later steps should come to this worker. */
  home: boolean;
}

/** NOTIFY payloads are limited to 8000 bytes: a larger outcome is announced by its key alone. */
const NOTIFY_LIMIT = 7900;

/**
 * Records what a step attempt came to, once (the first writer wins, so a job that ran twice cannot change
 * the answer), makes this worker the run's home when the step used its workspace, and wakes the waiting
 * runner with NOTIFY — all one statement, so the notification is sent exactly when the outcome is committed.
 * The notification carries the outcome itself when it fits (`key\noutcome`), which saves the runner a read.
 */
export async function recordOutcome(store: PostgresStore, attempt: AttemptRef, outcome: StepOutcome, by: RecordedBy): Promise<void> {
  const text = JSON.stringify(outcome);
  const key = jobKeyOf(attempt);
  const announced = Buffer.byteLength(key) + Buffer.byteLength(text) + 1 <= NOTIFY_LIMIT ? `${key}\n${text}` : key;
  await store.query(
    `WITH saved AS (
       INSERT INTO ${store.table('step_outcomes')} (run_id, step, attempt, outcome, worker, queued_at, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1
     ), home AS (
       INSERT INTO ${store.table('run_homes')} (run_id, worker) SELECT $1, $5 WHERE $8::boolean
       ON CONFLICT (run_id) DO UPDATE SET worker = excluded.worker
     )
     SELECT pg_notify($9, $10)`,
    [attempt.runId, attempt.step, attempt.attempt, text, by.worker, by.queuedAt, by.startedAt, by.home, outcomeChannelOf(store.schema), announced],
  );
}

/** What a worker needs to know before it runs an attempt, in one round trip. */
export interface AttemptContext {
  /** An outcome is already recorded: nothing to do. */
  recorded: boolean;
  state: RunState | undefined;
  /** The target as recorded at the run's creation. */
  target: { spec?: unknown; facts?: unknown } | undefined;
}

export async function loadAttempt(store: PostgresStore, attempt: AttemptRef): Promise<AttemptContext> {
  const { rows } = await store.query<{ recorded: boolean; state: string | null; created: string | null }>(
    `SELECT EXISTS (SELECT 1 FROM ${store.table('step_outcomes')} WHERE run_id = $1 AND step = $2 AND attempt = $3) AS recorded,
       (SELECT state FROM ${store.table('runs')} WHERE run_id = $1) AS state,
       (SELECT data FROM ${store.table('events')} WHERE run_id = $1 AND type = 'run.created' ORDER BY seq LIMIT 1) AS created`,
    [attempt.runId, attempt.step, attempt.attempt],
  );
  const row = rows[0];
  return {
    recorded: row?.recorded ?? false,
    state: row?.state ? (JSON.parse(row.state) as RunState) : undefined,
    target: row?.created ? (JSON.parse(row.created) as { spec?: unknown; facts?: unknown }) : undefined,
  };
}

/** The outcomes recorded for these attempts, by job key (one query however many). */
export async function readOutcomes(store: PostgresStore, attempts: readonly AttemptRef[]): Promise<Map<string, StepOutcome>> {
  const found = new Map<string, StepOutcome>();
  if (attempts.length === 0) return found;
  const { rows } = await store.query<{ run_id: string; step: string; attempt: number; outcome: string }>(
    `SELECT o.run_id, o.step, o.attempt, o.outcome FROM ${store.table('step_outcomes')} o
     JOIN unnest($1::text[], $2::text[], $3::integer[]) AS k(run_id, step, attempt) USING (run_id, step, attempt)`,
    [attempts.map((item) => item.runId), attempts.map((item) => item.step), attempts.map((item) => item.attempt)],
  );
  for (const row of rows) found.set(jobKeyOf({ runId: row.run_id, step: row.step, attempt: row.attempt }), parseOutcome(row.outcome));
  return found;
}

/**
 * Deletes what runs no longer need: outcomes the runner has applied (the step moved past that attempt),
 * and the homes and saved changes of finished runs. Safe to run from any process at any time.
 */
export async function pruneOutcomes(store: PostgresStore): Promise<number> {
  const { rowCount } = await store.query(
    `DELETE FROM ${store.table('step_outcomes')} o USING ${store.table('runs')} r
     WHERE r.run_id = o.run_id AND (r.status = 'done'
       OR (r.state::json -> 'steps' -> o.step ->> 'status') IS DISTINCT FROM 'running'
       OR (r.state::json -> 'steps' -> o.step ->> 'attempt') IS DISTINCT FROM o.attempt::text)`,
  );
  await store.query(`DELETE FROM ${store.table('run_homes')} h USING ${store.table('runs')} r WHERE r.run_id = h.run_id AND r.status = 'done'`);
  await store.query(`DELETE FROM ${store.table('run_changes')} c USING ${store.table('runs')} r WHERE r.run_id = c.run_id AND r.status = 'done'`);
  return rowCount ?? 0;
}
