import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import { FlotillaError, errorMessage, isFlotillaError } from '../model/errors.js';
import type { RunEvent, RunEventBody } from '../model/events.js';
import type { Target } from '../model/fleet.js';
import type { RunState, StepError } from '../model/run.js';
import { createRedactor, redactDeep, type Redactor } from '../log/redact.js';
import type { Store } from '../store/store.js';
import { isEndRun, type StepContext } from '../sdk/step.js';
import { filesChangedSince, restoreTree, snapshotTree, treeOf, workspacePath } from '../workspace/workspace.js';
import type { Command, PathStep } from './commands.js';
import { pathOf, type EngineCampaign, type EngineStep, type StepScope } from './engine-campaign.js';
import { reduce, resumeCommands, runIdOf } from './reducer.js';
import { BufferedStepLogger } from './step-logger.js';

export interface RunnerOptions {
  store: Store;
  /** Where workspaces live (`<stateDir>/workspaces/…`). */
  stateDir: string;
  /** Steps in flight at once, across all runs. */
  concurrency: number;
  scmFor: (target: Target) => ScmAdapter;
  /** Resolves `${{ }}` templates in a step's `with`. */
  interpolate: (value: Record<string, unknown>, scope: StepScope) => Record<string, unknown>;
  env?: Readonly<Record<string, string | undefined>>;
  clock?: () => Date;
  onEvent?: (event: RunEvent, state: RunState) => void;
  /** Aborting stops the campaign: running steps are cut off and resumed by the next run. */
  signal?: AbortSignal;
  /** Keep the workspaces of runs that ended merged or skipped (default: removed). */
  keepWorkspaces?: boolean;
}

const LOCK_TTL_MS = 30_000;

/**
 * Runs one campaign over its targets on this process: creates the runs that do not exist yet, resumes
 * the others where their event logs say they are, and executes steps with a concurrency limit until
 * every run is done. The reducer decides; this class only does the I/O it is told to.
 */
export class CampaignRunner {
  private readonly path: PathStep[];
  private readonly stepsById: Map<string, EngineStep>;
  private readonly states = new Map<string, RunState>();
  private readonly targets = new Map<string, Target>();
  private readonly dirty = new Set<string>();
  private readonly queue: Extract<Command, { kind: 'start-step' }>[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly clock: () => Date;
  private readonly redact: Redactor;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly owner = `${hostname()}:${process.pid}`;
  private active = 0;
  private open = 0;
  private finished: (() => void) | undefined;
  private failed: ((error: unknown) => void) | undefined;

  constructor(
    private readonly campaign: EngineCampaign,
    private readonly options: RunnerOptions,
  ) {
    this.path = pathOf(campaign.steps);
    this.stepsById = new Map(campaign.steps.map((step) => [step.id, step]));
    this.clock = options.clock ?? (() => new Date());
    this.env = options.env ?? process.env;
    this.redact = createRedactor(this.env);
  }

  /** Runs the campaign to the end (or until the signal aborts) and returns every run's final state. */
  async run(targets: readonly Target[]): Promise<RunState[]> {
    const { store } = this.options;
    await this.lock();
    const heartbeat = setInterval(() => void this.lock().catch(() => undefined), LOCK_TTL_MS / 3);
    heartbeat.unref();
    try {
      const done = new Promise<void>((resolve, reject) => {
        this.finished = resolve;
        this.failed = reject;
      });
      const existing = await store.listRuns(this.campaign.name);
      for (const state of existing) this.states.set(state.runId, state);
      for (const target of targets) this.targets.set(runIdOf(this.campaign.name, target.spec.name), target);
      for (const state of existing) {
        if (state.status === 'done') continue;
        if (!this.targets.has(state.runId)) {
          throw new FlotillaError('bad-input', `run ${state.runId} is unfinished but its target is no longer in the fleet`);
        }
        this.open++;
        this.dirty.add(state.runId);
      }
      const fresh = targets.filter((target) => !this.states.has(runIdOf(this.campaign.name, target.spec.name)));
      this.open += fresh.length;
      if (this.open === 0) return this.results();
      for (const state of existing) {
        if (state.status !== 'done') this.dispatchAll(resumeCommands(this.path, state));
      }
      for (const target of fresh) {
        const runId = runIdOf(this.campaign.name, target.spec.name);
        await this.apply(runId, { type: 'run.created', data: { target: target.spec.name, commit: target.facts.commit } });
      }
      this.options.signal?.addEventListener('abort', () => this.stop(), { once: true });
      if (this.options.signal?.aborted) this.stop();
      await done;
      return this.results();
    } finally {
      clearInterval(heartbeat);
      for (const timer of this.timers) clearTimeout(timer);
      await store.releaseLock(this.lockName(), this.owner);
    }
  }

  private results(): RunState[] {
    return [...this.states.values()].sort((a, b) => a.target.localeCompare(b.target));
  }

  private lockName(): string {
    return `campaign:${this.campaign.name}`;
  }

  private async lock(): Promise<void> {
    const result = await this.options.store.acquireLock(this.lockName(), this.owner, Date.now(), LOCK_TTL_MS, (holder) => isDeadLocalProcess(holder));
    if (!result.acquired) {
      throw new FlotillaError('conflict', `campaign ${this.campaign.name} is already running (${result.holder ?? 'another process'})`);
    }
  }

  private stop(): void {
    this.queue.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.active === 0) this.finished?.();
  }

  private async apply(runId: string, body: RunEventBody): Promise<RunState> {
    const event = { ...body, runId, at: this.clock().toISOString() } as RunEvent;
    const { state, commands } = reduce(this.path, this.states.get(runId), event);
    event.seq = await this.options.store.appendEvent(event, state);
    this.states.set(runId, state);
    this.options.onEvent?.(event, state);
    if (event.type === 'run.completed') await this.onRunDone(state);
    this.dispatchAll(commands);
    return state;
  }

  private dispatchAll(commands: readonly Command[]): void {
    for (const command of commands) this.dispatch(command);
  }

  private dispatch(command: Command): void {
    if (command.kind === 'finish-run') {
      const data: Extract<RunEventBody, { type: 'run.completed' }>['data'] = { outcome: command.outcome, reasons: command.reasons };
      if (command.failedStep) data.failedStep = command.failedStep;
      this.apply(command.runId, { type: 'run.completed', data }).catch((error: unknown) => this.failed?.(error));
      return;
    }
    if (this.options.signal?.aborted) return;
    const wait = command.notBefore ? Date.parse(command.notBefore) - this.clock().getTime() : 0;
    if (wait > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.queue.push(command);
        this.pump();
      }, wait);
      this.timers.add(timer);
      return;
    }
    this.queue.push(command);
    this.pump();
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const command = this.queue.shift();
      if (!command) break;
      this.active++;
      this.execute(command)
        .catch((error: unknown) => this.failed?.(error))
        .finally(() => {
          this.active--;
          if (this.options.signal?.aborted && this.active === 0) this.finished?.();
          else this.pump();
        });
    }
  }

  private async onRunDone(state: RunState): Promise<void> {
    this.open--;
    if (!this.options.keepWorkspaces && (state.outcome === 'merged' || state.outcome === 'skipped')) {
      await rm(workspacePath(this.options.stateDir, this.campaign.name, state.target), { recursive: true, force: true });
    }
    if (this.open === 0) this.finished?.();
  }

  private async execute(command: Extract<Command, { kind: 'start-step' }>): Promise<void> {
    const step = this.stepsById.get(command.step);
    const target = this.targets.get(command.runId);
    const before = this.states.get(command.runId);
    if (!step || !target || !before) throw new FlotillaError('internal', `no step ${command.step} or run ${command.runId}`);
    const scope = this.scopeOf(before, target);

    if (step.condition && (before.steps[step.id]?.status ?? 'pending') === 'pending') {
      let enabled: boolean;
      try {
        enabled = step.condition(scope);
      } catch (error) {
        await this.apply(command.runId, { type: 'step.started', data: { step: step.id, attempt: command.attempt } });
        await this.apply(command.runId, { type: 'step.failed', data: { step: step.id, attempt: command.attempt, durationMs: 0, error: toStepError(error, false) } });
        return;
      }
      if (!enabled) {
        await this.apply(command.runId, { type: 'step.skipped', data: { step: step.id, reason: 'its if: condition was false' } });
        return;
      }
    }

    const state = await this.apply(command.runId, { type: 'step.started', data: { step: step.id, attempt: command.attempt } });
    const logger = new BufferedStepLogger(this.options.store, { runId: command.runId, step: step.id, attempt: command.attempt }, this.redact, this.clock);
    const started = performance.now();
    // One controller per step, cut by its timeout or by the campaign's signal; both are detached when the
    // step ends, so thousands of finished steps leave no timers or listeners behind.
    const controller = new AbortController();
    const signal = controller.signal;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new FlotillaError('timeout', `timed out after ${Math.round(step.timeoutMs / 1000)}s`, { retryable: true }));
    }, step.timeoutMs);
    const stop = (): void => controller.abort(new FlotillaError('cancelled', 'the campaign was stopped'));
    this.options.signal?.addEventListener('abort', stop, { once: true });
    const reported: { name: string; data: Record<string, unknown> }[] = [];
    const ctx = this.contextOf(state, target, step, command.attempt, signal, logger, scope, reported);
    try {
      const input: unknown = step.definition.input.parse(this.options.interpolate(step.with, scope));
      if (step.definition.workspace && step.definition.kind === 'change' && this.dirty.has(command.runId)) {
        await restoreTree(ctx.workspace, state.changeTree ?? (await treeOf(ctx.workspace, state.baseCommit)), signal);
      }
      const result = await untilAborted(step.definition.run(input, ctx), signal);
      const endRun = isEndRun(result) ? { outcome: result.outcome, reasons: result.reasons } : undefined;
      const output = step.definition.output.parse(isEndRun(result) ? result.output : result) as Record<string, unknown>;
      let changeTree: string | undefined;
      if (step.definition.workspace && step.definition.kind === 'change') {
        changeTree = await snapshotTree(ctx.workspace, signal);
        this.dirty.delete(command.runId);
      } else if (step.definition.workspace && step.definition.kind === 'validate') {
        this.dirty.add(command.runId);
        if (state.changeTree) {
          const touched = await filesChangedSince(ctx.workspace, state.changeTree, signal);
          if (touched.length > 0) {
            logger.warn('the validation step modified tracked files; they are not part of the change', { files: touched });
            reported.push({ name: 'validation.modified-tracked-files', data: { files: touched } });
          }
        }
      }
      await logger.flush();
      await this.report(command.runId, step.id, reported);
      const durationMs = Math.round(performance.now() - started);
      const data: Extract<RunEventBody, { type: 'step.succeeded' }>['data'] = { step: step.id, attempt: command.attempt, durationMs, output: redactDeep(output, this.redact) };
      if (changeTree) data.changeTree = changeTree;
      if (endRun) data.endRun = { outcome: endRun.outcome, reasons: endRun.reasons.map(this.redact) };
      await this.apply(command.runId, { type: 'step.succeeded', data });
    } catch (error) {
      if (this.options.signal?.aborted) {
        // Shutdown: leave the step `running`; the next run of the campaign starts it again.
        logger.warn('interrupted by shutdown; the step will run again when the campaign resumes');
        await logger.flush();
        return;
      }
      this.dirty.add(command.runId);
      const failure = timedOut ? (signal.reason as FlotillaError) : error;
      logger.error(errorMessage(failure));
      await logger.flush();
      await this.report(command.runId, step.id, reported);
      const durationMs = Math.round(performance.now() - started);
      const stepError = toStepError(failure, true);
      stepError.message = this.redact(stepError.message);
      await this.apply(command.runId, { type: 'step.failed', data: { step: step.id, attempt: command.attempt, durationMs, error: stepError } });
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', stop);
    }
  }

  private async report(runId: string, step: string, reported: readonly { name: string; data: Record<string, unknown> }[]): Promise<void> {
    for (const item of reported) {
      await this.apply(runId, { type: 'step.reported', data: { step, name: item.name, data: redactDeep(item.data, this.redact) } });
    }
  }

  private scopeOf(state: RunState, target: Target): StepScope {
    const steps: StepScope['steps'] = {};
    for (const [id, step] of Object.entries(state.steps)) steps[id] = { outputs: step.output ?? {}, status: step.status };
    return { steps, target: target.facts, campaign: { name: this.campaign.name } };
  }

  private contextOf(
    state: RunState,
    target: Target,
    step: EngineStep,
    attempt: number,
    signal: AbortSignal,
    log: BufferedStepLogger,
    scope: StepScope,
    reported: { name: string; data: Record<string, unknown> }[],
  ): StepContext {
    const { store } = this.options;
    const runId = state.runId;
    const succeeded: Record<string, { outputs: Record<string, unknown> }> = {};
    for (const [id, entry] of Object.entries(scope.steps)) if (entry.status === 'succeeded') succeeded[id] = { outputs: entry.outputs };
    return {
      runId,
      campaign: { name: this.campaign.name, description: this.campaign.change.title, change: this.campaign.change },
      stepId: step.id,
      attempt,
      target,
      facts: target.facts,
      workspace: workspacePath(this.options.stateDir, this.campaign.name, target.spec.name),
      baseCommit: state.baseCommit,
      baseBranch: target.facts.defaultBranch,
      changeTree: state.changeTree,
      steps: succeeded,
      signal,
      log,
      scm: this.options.scmFor(target),
      env: this.env,
      checkpoint: async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
        const name = `${step.id}/${key}`;
        const stored = await store.getCheckpoint(runId, name);
        if (stored) return stored.value as T;
        const value = await fn();
        await store.putCheckpoint(runId, name, value, this.clock().toISOString());
        return value;
      },
      emit: (name, data) => {
        reported.push({ name, data });
      },
    };
  }
}

function toStepError(error: unknown, retryableDefault: boolean): StepError {
  if (isFlotillaError(error)) {
    return { code: error.code, message: error.message, retryable: error.code === 'bad-input' ? false : error.retryable || (retryableDefault && error.code !== 'conflict') };
  }
  if (error instanceof Error && error.name === 'ZodError') {
    return { code: 'bad-input', message: `invalid step input or output: ${error.message}`, retryable: false };
  }
  return { code: 'internal', message: errorMessage(error), retryable: retryableDefault };
}

/** Settles with the step's promise, or rejects as soon as the signal aborts (a step that ignores it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** A lock holder `host:pid` on this host whose process is gone. */
function isDeadLocalProcess(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  if (host !== hostname() || !pidText) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
