import type { StepOutcome } from '../engine/execute-step.js';
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

/**
 * Records what a step attempt came to, once (the first writer wins, so a job that ran twice cannot change
 * the answer), makes this worker the run's home when the step used its workspace, and wakes the waiting
 * runner with NOTIFY — all one statement, so the notification is sent exactly when the outcome is committed.
 */
export async function recordOutcome(store: PostgresStore, attempt: AttemptRef, outcome: StepOutcome, by: RecordedBy): Promise<void> {
  await store.query(
    `WITH saved AS (
       INSERT INTO ${store.table('step_outcomes')} (run_id, step, attempt, outcome, worker, queued_at, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1
     ), home AS (
       INSERT INTO ${store.table('run_homes')} (run_id, worker) SELECT $1, $5 WHERE $8::boolean
       ON CONFLICT (run_id) DO UPDATE SET worker = excluded.worker
     )
     SELECT pg_notify($9, $10)`,
    [attempt.runId, attempt.step, attempt.attempt, JSON.stringify(outcome), by.worker, by.queuedAt, by.startedAt, by.home, outcomeChannelOf(store.schema), jobKeyOf(attempt)],
  );
}

export async function hasOutcome(store: PostgresStore, attempt: AttemptRef): Promise<boolean> {
  const { rows } = await store.query(`SELECT 1 FROM ${store.table('step_outcomes')} WHERE run_id = $1 AND step = $2 AND attempt = $3`, [attempt.runId, attempt.step, attempt.attempt]);
  return rows.length > 0;
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
