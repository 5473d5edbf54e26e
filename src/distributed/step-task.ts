import type { JobHelpers, Task } from 'graphile-worker';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { EngineCampaign, StepScope } from '../engine/engine-campaign.js';
import { executeStep, type StepExecution, type StepOutcome } from '../engine/execute-step.js';
import { createRedactor } from '../log/redact.js';
import { FlotillaError, errorMessage, isFlotillaError } from '../model/errors.js';
import type { Target } from '../model/fleet.js';
import type { RunState } from '../model/run.js';
import type { FlotillaMetrics } from '../observability/flotilla-metrics.js';
import type { JsonLogger } from '../observability/logger.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import type { PortableWorkspaces } from './portable-workspace.js';
import { stepJobPayload, type StepJobPayload } from './step-job.js';
import { Batcher } from './batcher.js';
import { loadAttempts, recordOutcomes, type OutcomeRecord } from './step-outcomes.js';

export interface StepTaskOptions {
  store: PostgresStore;
  /** This worker's own state folder: its workspaces and mirrors. */
  stateDir: string;
  /** This worker's name: its home flag (`home:<name>`) and what outcomes record. */
  workerName: string;
  workspaces: PortableWorkspaces;
  /** The campaign a job names, as the runner runs it (default: loaded from its file, cached by hash). */
  loadCampaign: (name: string, hash: string) => Promise<EngineCampaign>;
  scmFor: (target: Target) => ScmAdapter;
  interpolate: StepExecution['interpolate'];
  env?: Readonly<Record<string, string | undefined>>;
  metrics?: FlotillaMetrics;
  log?: JsonLogger;
}

/**
 * The graphile-worker task that runs one step attempt: it loads the run and its campaign and target from
 * the store, builds the same `StepExecution` the embedded engine builds, calls `executeStep`, and records
 * the outcome for the runner. It does nothing for an attempt that is stale (the run moved on, or an
 * outcome is already recorded), so a job that runs twice changes nothing the second time.
 *
 * It throws — so graphile-worker retries the job with backoff — only for infrastructure failures (the
 * database, a campaign file that cannot be read here) and when the worker is shutting down mid-step (the
 * step is handed back). A step that fails is an outcome, recorded like a success.
 */
export function createStepTask(options: StepTaskOptions): Task {
  const { store, log } = options;
  const env = options.env ?? process.env;
  const redact = createRedactor(env);
  // The steps this worker runs at once load and record together: one statement per batch.
  const loads = new Batcher((attempts: StepJobPayload[]) => loadAttempts(store, attempts), 2);
  const records = new Batcher(async (items: OutcomeRecord[]) => (await recordOutcomes(store, items), items.map(() => undefined)), 2);
  const recordOutcome = (job: StepJobPayload, outcome: StepOutcome, by: OutcomeRecord['by']): Promise<undefined> => records.call({ attempt: job, outcome, by });
  return async (raw, helpers) => {
    const parsed = stepJobPayload.safeParse(raw);
    if (!parsed.success) {
      log?.error({ jobId: helpers.job.id, payload: raw }, 'a step job with a malformed payload was dropped');
      return;
    }
    const job = parsed.data;
    const startedAt = new Date();
    const ids = { campaign: job.campaign, runId: job.runId, step: job.step, attempt: job.attempt, jobId: helpers.job.id };
    // Is it done already, the run's state (getRun) and its target as recorded at creation: one query.
    const { recorded: done, state, target: recorded } = await loads.call(job);
    if (done) return;
    const current = state?.steps[job.step];
    if (!state || state.status === 'done' || current?.attempt !== job.attempt || current.status !== 'running') {
      log?.info({ ...ids, status: state?.status, stepStatus: current?.status }, 'stale step job skipped');
      return;
    }
    const queuedAt = helpers.job.run_at > helpers.job.created_at ? helpers.job.run_at : helpers.job.created_at;
    options.metrics?.dispatchLatency.observe({}, Math.max(0, startedAt.getTime() - queuedAt.getTime()) / 1000);
    let campaign: EngineCampaign;
    try {
      campaign = await options.loadCampaign(job.campaign, job.hash);
    } catch (error) {
      // A campaign file that is missing or changed here will not heal with retries: the step fails now.
      if (!isFlotillaError(error) || !['not-found', 'conflict', 'bad-input'].includes(error.code)) throw error;
      log?.warn({ ...ids, error: errorMessage(error) }, 'the campaign could not be loaded on this worker');
      await recordOutcome(job, failed(job, error, false), { worker: options.workerName, queuedAt, startedAt, home: false });
      return;
    }
    const step = campaign.steps.find((candidate) => candidate.id === job.step);
    if (!step || !recorded?.spec || !recorded.facts) throw new FlotillaError('internal', `run ${job.runId}: no step ${job.step} or no recorded target`);
    const target = { spec: recorded.spec, facts: recorded.facts, ...(job.projects ? { projects: job.projects } : {}) } as Target;
    const fields = { ...ids, target: target.spec.name, uses: step.uses };
    const outcome = await runAttempt(options, { job, campaign, state, target, step, helpers, redact, env, fields });
    await recordOutcome(job, outcome, { worker: options.workerName, queuedAt, startedAt, home: step.definition.workspace });
    const event = outcome.event;
    const result = event.type === 'step.succeeded' ? 'succeeded' : event.type === 'step.failed' ? 'failed' : 'waiting';
    const durationMs = 'durationMs' in event.data ? event.data.durationMs : 0;
    options.metrics?.stepsFinished.inc({ campaign: job.campaign, step: job.step, result });
    if (result === 'failed') options.metrics?.stepsFailed.inc({ campaign: job.campaign, step: job.step });
    options.metrics?.stepDuration.observe({ campaign: job.campaign, step: job.step }, durationMs / 1000);
    const error = event.type === 'step.failed' ? event.data.error : undefined;
    log?.info({ ...fields, result, durationMs, ...(error ? { error: error.message, code: error.code } : {}) }, 'step finished');
  };
}

interface Attempt {
  job: StepJobPayload;
  campaign: EngineCampaign;
  state: RunState;
  target: Target;
  step: EngineCampaign['steps'][number];
  helpers: JobHelpers;
  redact: StepExecution['redact'];
  env: Readonly<Record<string, string | undefined>>;
  fields: Record<string, unknown>;
}

async function runAttempt(options: StepTaskOptions, attempt: Attempt): Promise<StepOutcome> {
  const { job, campaign, state, target, step, helpers, fields } = attempt;
  options.metrics?.stepsStarted.inc({ campaign: job.campaign, step: job.step });
  options.log?.info(fields, 'step started');
  // The step's timeout starts now, on the worker; a shutdown that outlasts its grace hands the step back.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new FlotillaError('timeout', `timed out after ${Math.round(step.timeoutMs / 1000)}s`, { retryable: true })), step.timeoutMs);
  let shutdown: FlotillaError | undefined;
  const onShutdown = (): void => controller.abort((shutdown = new FlotillaError('cancelled', 'the worker is shutting down')));
  helpers.abortSignal.addEventListener('abort', onShutdown, { once: true });
  try {
    const scm = options.scmFor(target);
    const work = { campaign: campaign.name, step, state, target, scm, signal: controller.signal };
    let dirty: boolean;
    try {
      dirty = await options.workspaces.prepare(work);
    } catch (error) {
      if (isFlotillaError(error) && error.code === 'internal') throw error;
      // The workspace could not be made (the target's repository is unreachable, say): the step fails.
      return failed(job, error, true);
    }
    const execution: StepExecution = {
      campaign,
      step,
      state,
      target,
      attempt: job.attempt,
      scope: scopeOf(state, target, campaign.name),
      store: options.store,
      stateDir: options.stateDir,
      scm,
      env: attempt.env,
      redact: attempt.redact,
      clock: () => new Date(),
      interpolate: options.interpolate,
      signal: controller.signal,
      dirty,
    };
    const outcome = await executeStep(execution, performance.now());
    if (shutdown && controller.signal.reason === shutdown) throw shutdown;
    await options.workspaces.finish(work, outcome);
    return outcome;
  } finally {
    clearTimeout(timer);
    helpers.abortSignal.removeEventListener('abort', onShutdown);
  }
}

/** What `if:` and `${{ }}` see: the same scope the runner builds. */
function scopeOf(state: RunState, target: Target, campaign: string): StepScope {
  const steps: StepScope['steps'] = {};
  for (const [id, step] of Object.entries(state.steps)) steps[id] = { outputs: step.output ?? {}, status: step.status };
  return { steps, target: target.facts, campaign: { name: campaign } };
}

function failed(job: StepJobPayload, error: unknown, retryable: boolean): StepOutcome {
  const code = isFlotillaError(error) ? error.code : 'external';
  return { event: { type: 'step.failed', data: { step: job.step, attempt: job.attempt, durationMs: 0, error: { code, message: errorMessage(error), retryable } } }, reported: [], dirty: true };
}
