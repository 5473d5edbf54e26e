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

export interface OutcomeRecord {
  attempt: AttemptRef;
  outcome: StepOutcome;
  by: RecordedBy;
}

/**
 * Records what step attempts came to, once each (the first writer wins, so a job that ran twice cannot
 * change the answer), makes this worker the home of runs whose step used the workspace, and wakes the
 * waiting runners with NOTIFY — one statement for the batch, so each notification is sent exactly when its
 * outcome is committed. A notification carries the outcome itself when it fits (`key\noutcome`), which
 * saves the runner a read.
 */
export async function recordOutcomes(store: PostgresStore, records: readonly OutcomeRecord[]): Promise<void> {
  const rows = records.map(({ attempt, outcome, by }) => {
    const text = JSON.stringify(outcome);
    const key = jobKeyOf(attempt);
    const announced = Buffer.byteLength(key) + Buffer.byteLength(text) + 1 <= NOTIFY_LIMIT ? `${key}\n${text}` : key;
    return { run_id: attempt.runId, step: attempt.step, attempt: attempt.attempt, outcome: text, worker: by.worker, queued_at: by.queuedAt, started_at: by.startedAt, home: by.home, announced };
  });
  await store.query(
    `WITH k AS (
       SELECT * FROM json_to_recordset($1::json) AS k(run_id text, step text, attempt integer, outcome text, worker text,
         queued_at timestamptz, started_at timestamptz, home boolean, announced text)
     ), saved AS (
       INSERT INTO ${store.table('step_outcomes')} (run_id, step, attempt, outcome, worker, queued_at, started_at)
       SELECT run_id, step, attempt, outcome, worker, queued_at, started_at FROM k ON CONFLICT DO NOTHING
     ), home AS (
       INSERT INTO ${store.table('run_homes')} (run_id, worker) SELECT DISTINCT ON (run_id) run_id, worker FROM k WHERE home
       ON CONFLICT (run_id) DO UPDATE SET worker = excluded.worker
     )
     SELECT pg_notify($2, announced) FROM k`,
    [JSON.stringify(rows), outcomeChannelOf(store.schema)],
    'record-outcomes',
  );
}

/** What a worker needs to know before it runs an attempt. */
export interface AttemptContext {
  /** An outcome is already recorded: nothing to do. */
  recorded: boolean;
  state: RunState | undefined;
  /** The target as recorded at the run's creation. */
  target: { spec?: unknown; facts?: unknown } | undefined;
}

/** For each attempt: is it done already, its run's state and its target (getRun and the run's target), in one query. */
export async function loadAttempts(store: PostgresStore, attempts: readonly AttemptRef[]): Promise<AttemptContext[]> {
  const { rows } = await store.query<{ n: string; recorded: boolean; state: string | null; created: string | null }>(
    `SELECT k.n, EXISTS (SELECT 1 FROM ${store.table('step_outcomes')} o WHERE o.run_id = k.run_id AND o.step = k.step AND o.attempt = k.attempt) AS recorded,
       r.state, (SELECT e.data FROM ${store.table('events')} e WHERE e.run_id = k.run_id AND e.type = 'run.created' ORDER BY e.seq LIMIT 1) AS created
     FROM unnest($1::text[], $2::text[], $3::integer[]) WITH ORDINALITY AS k(run_id, step, attempt, n)
     LEFT JOIN ${store.table('runs')} r ON r.run_id = k.run_id`,
    [attempts.map((item) => item.runId), attempts.map((item) => item.step), attempts.map((item) => item.attempt)],
    'load-attempts',
  );
  const byIndex = new Map(rows.map((row) => [Number(row.n), row]));
  return attempts.map((_, index) => {
    const row = byIndex.get(index + 1);
    return {
      recorded: row?.recorded ?? false,
      state: row?.state ? (JSON.parse(row.state) as RunState) : undefined,
      target: row?.created ? (JSON.parse(row.created) as { spec?: unknown; facts?: unknown }) : undefined,
    };
  });
}

/** The outcomes recorded for these attempts, by job key (one query however many). */
export async function readOutcomes(store: PostgresStore, attempts: readonly AttemptRef[]): Promise<Map<string, StepOutcome>> {
  const found = new Map<string, StepOutcome>();
  if (attempts.length === 0) return found;
  const { rows } = await store.query<{ run_id: string; step: string; attempt: number; outcome: string }>(
    `SELECT o.run_id, o.step, o.attempt, o.outcome FROM ${store.table('step_outcomes')} o
     JOIN unnest($1::text[], $2::text[], $3::integer[]) AS k(run_id, step, attempt) USING (run_id, step, attempt)`,
    [attempts.map((item) => item.runId), attempts.map((item) => item.step), attempts.map((item) => item.attempt)],
    'read-outcomes',
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
