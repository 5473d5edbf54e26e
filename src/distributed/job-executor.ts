import { Logger, runMigrations } from 'graphile-worker';
import type { StepExecutor } from '../engine/campaign-runner.js';
import type { StepExecution, StepOutcome } from '../engine/execute-step.js';
import { FlotillaError, errorMessage, isFlotillaError } from '../model/errors.js';
import { quoteIdentifier } from '../store/postgres/migrate.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { OutcomeWaiter } from './outcome-waiter.js';
import { JOB_MAX_ATTEMPTS, jobKeyOf, parseOutcome, taskOf, workerSchemaOf, type StepJobPayload } from './step-job.js';
import { pruneOutcomes, type AttemptRef } from './step-outcomes.js';

export interface JobDispatcherOptions {
  store: PostgresStore;
  /** The URL of the store's database (for the LISTEN connection). */
  connectionString: string;
  /** The queue of a step (default: `default`); workers serve the queues they are started with. */
  queueOf?: (execution: StepExecution) => string;
  /** How often waiting attempts are checked without a notification (ms). */
  sweepMs?: number;
  /** Told once, at start, when no worker is alive to take the jobs. */
  warn?: (message: string) => void;
}

interface PendingJob {
  key: string;
  task: string;
  payload: StepJobPayload;
  workspace: boolean;
  done: (error?: unknown) => void;
}

/**
 * The distributed engine's `StepExecutor`: the runner decides, a worker does. Each step attempt becomes a
 * graphile-worker job keyed `runId/step/attempt` — added with `unsafe_dedupe`, so adding it again (a
 * runner that restarted, a sweep) never makes a second job while one exists — and the runner waits for the
 * outcome the worker records. Jobs added in the same tick go in one statement. A job for an attempt whose
 * outcome is already recorded is not added at all: the statement returns that outcome instead. A workspace step carries its run's home flag, so it
 * runs where the run's workspace is while that worker lives.
 *
 * The step's timeout is the worker's to enforce (it starts when the step starts, not when it is queued);
 * a cancel or a shutdown removes the job if no worker has taken it yet.
 */
export class JobDispatcher {
  private readonly waiter: OutcomeWaiter;
  private readonly workerSchema: string;
  private readonly batch: PendingJob[] = [];
  /** The jobs of the attempts waiting here, to add again if one goes missing. */
  private readonly specs = new Map<string, Omit<PendingJob, 'done'>>();
  private started: Promise<void> | undefined;
  private pruner: NodeJS.Timeout | undefined;

  constructor(private readonly options: JobDispatcherOptions) {
    this.workerSchema = workerSchemaOf(options.store.schema);
    this.waiter = new OutcomeWaiter(options.store, options.connectionString, { sweepMs: options.sweepMs ?? 3000, onSweep: (waiting) => this.lookAfter(waiting) });
  }

  /** Installs graphile-worker's schema (idempotent) and starts listening for outcomes. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.options.store.ready();
      await runMigrations({ pgPool: this.options.store.pool, schema: this.workerSchema, logger: silentLogger });
      await this.waiter.start();
      // Outcomes the runners applied, and what finished runs left, are deleted as this process goes.
      this.pruner = setInterval(() => void pruneOutcomes(this.options.store).catch(() => undefined), 60_000);
      this.pruner.unref();
      const { rows } = await this.options.store.query<{ alive: string }>(`SELECT count(*) AS alive FROM ${this.options.store.table('workers')} WHERE heartbeat_at > now() - interval '10 seconds'`);
      if (Number(rows[0]?.alive ?? 0) === 0) this.options.warn?.('no flotilla worker is alive: steps wait in the queue until one starts (FLOTILLA_EXECUTOR=local runs them here)');
    })();
    return this.started;
  }

  readonly executor: StepExecutor = async (execution) => {
    await this.start();
    const attempt: AttemptRef = { runId: execution.state.runId, step: execution.step.id, attempt: execution.attempt };
    const outcome = this.waiter.wait(attempt);
    const payload: StepJobPayload = { campaign: execution.campaign.name, hash: execution.campaign.hash, ...attempt, ...(execution.target.projects ? { projects: execution.target.projects } : {}) };
    const queue = this.options.queueOf?.(execution) ?? 'default';
    const spec = { key: jobKeyOf(attempt), task: taskOf(queue), payload, workspace: execution.step.definition.workspace };
    this.specs.set(spec.key, spec);
    const added = this.add(spec);
    const { signal } = execution;
    const settled = new Promise<StepOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        const reason: unknown = signal.reason;
        if (isFlotillaError(reason) && reason.code === 'timeout') return;
        signal.removeEventListener('abort', onAbort);
        this.waiter.forget(attempt);
        void this.remove(jobKeyOf(attempt));
        const message = reason instanceof Error ? reason.message : 'the step was cancelled';
        resolve({ event: { type: 'step.failed', data: { step: attempt.step, attempt: attempt.attempt, durationMs: 0, error: { code: 'cancelled', message, retryable: false } } }, reported: [], dirty: true });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      added.catch((error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        this.waiter.forget(attempt);
        reject(error instanceof Error ? error : new Error(errorMessage(error)));
      });
      void outcome.then((value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      });
    });
    return settled.finally(() => this.specs.delete(spec.key));
  };

  async close(): Promise<void> {
    if (this.pruner) clearInterval(this.pruner);
    await this.waiter.close();
    if (this.started) await pruneOutcomes(this.options.store).catch(() => undefined);
  }

  /** Queues a job; jobs queued in the same tick are added with one statement. */
  private add(job: Omit<PendingJob, 'done'>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ ...job, done: (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(errorMessage(error)))) });
      if (this.batch.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const jobs = this.batch.splice(0);
    if (jobs.length === 0) return;
    const { store } = this.options;
    const gw = quoteIdentifier(this.workerSchema);
    try {
      const { rows } = await store.query<{ key: string; outcome: string | null }>(
        `SELECT k.key, o.outcome FROM json_to_recordset($1::json) AS k(key text, task text, payload json, run_id text, step text, attempt integer, workspace boolean)
         LEFT JOIN ${store.table('step_outcomes')} o ON o.run_id = k.run_id AND o.step = k.step AND o.attempt = k.attempt
         LEFT JOIN LATERAL (
           SELECT (${gw}.add_job(k.task, k.payload, max_attempts => $2, job_key => k.key, job_key_mode => 'unsafe_dedupe',
             flags => CASE WHEN k.workspace THEN (SELECT ARRAY['home:' || h.worker] FROM ${store.table('run_homes')} h WHERE h.run_id = k.run_id) END)).id
           WHERE o.run_id IS NULL
         ) j ON true`,
        [JSON.stringify(jobs.map((job) => ({ key: job.key, task: job.task, payload: job.payload, run_id: job.payload.runId, step: job.payload.step, attempt: job.payload.attempt, workspace: job.workspace }))), JOB_MAX_ATTEMPTS],
        'add-step-jobs',
      );
      // An attempt whose outcome was recorded before this runner waited for it (a restart): no job, its outcome.
      for (const row of rows) {
        const job = jobs.find((candidate) => candidate.key === row.key);
        if (row.outcome && job) this.waiter.settle(job.payload, parseOutcome(row.outcome));
      }
      for (const job of jobs) job.done();
    } catch (error) {
      for (const job of jobs) job.done(error);
    }
  }

  private async remove(key: string): Promise<void> {
    await this.options.store.query(`SELECT ${quoteIdentifier(this.workerSchema)}.remove_job($1)`, [key]).catch(() => undefined);
  }

  /**
   * Attempts still waiting after a sweep: a job that is gone without an outcome is added again (its outcome
   * was pruned, or it was removed); a job that failed for good settles the attempt as failed, so the run's
   * own retry policy decides what comes next instead of the runner waiting forever.
   */
  private async lookAfter(waiting: readonly AttemptRef[]): Promise<void> {
    const keys = waiting.map(jobKeyOf);
    const { rows } = await this.options.store.query<{ key: string; attempts: number; max_attempts: number; locked: boolean; last_error: string | null }>(
      `SELECT key, attempts, max_attempts, locked_at IS NOT NULL AS locked, last_error FROM ${quoteIdentifier(this.workerSchema)}.jobs WHERE key = ANY($1)`,
      [keys],
    );
    const jobs = new Map(rows.map((row) => [row.key, row]));
    for (const attempt of waiting) {
      const job = jobs.get(jobKeyOf(attempt));
      if (!job) {
        const spec = this.specs.get(jobKeyOf(attempt));
        if (spec) await this.add(spec).catch(() => undefined);
        continue;
      }
      if (job.locked || job.attempts < job.max_attempts) continue;
      const error = new FlotillaError('external', `the step's job failed ${job.attempts} times: ${job.last_error ?? 'no reason recorded'}`, { retryable: true });
      this.waiter.settle(attempt, { event: { type: 'step.failed', data: { step: attempt.step, attempt: attempt.attempt, durationMs: 0, error: { code: error.code, message: error.message, retryable: true } } }, reported: [], dirty: true });
    }
  }
}

/** graphile-worker's migration messages are not ours to print. */
const silentLogger = new Logger(() => () => undefined);
