import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import { FlotillaError } from '../model/errors.js';
import type { RunEvent, RunEventBody } from '../model/events.js';
import type { Target } from '../model/fleet.js';
import type { RunState } from '../model/run.js';
import { createRedactor, type Redactor } from '../log/redact.js';
import type { CampaignStatus, InboxItem, Store } from '../store/store.js';
import { workspacePath } from '../workspace/workspace.js';
import type { Command, PathStep } from './commands.js';
import { pathOf, type EngineCampaign, type EngineStep, type StepScope } from './engine-campaign.js';
import { executeStep, type StepExecution, type StepOutcome } from './execute-step.js';
import { reduce, resumeCommands, runIdOf } from './reducer.js';
import { cancelRun } from './cancel-run.js';
import { RolloutState } from '../rollout/rollout-state.js';
import { assignWaves, orderByRisk } from '../rollout/waves.js';

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
  /**
   * `until-idle` (default) returns when no run can move without an outside event (every unfinished run
   * waits, or the campaign is paused); `until-done` keeps serving events and deadlines until every run ends.
   */
  mode?: 'until-idle' | 'until-done';
  /** How often the inbox and the campaign's status are read (one query for the whole campaign). */
  pollMs?: number;
  /**
   * Runs one step attempt and reports how it ended. Default: in this process. The distributed engine
   * hands the attempt to a worker through the job queue and waits for its outcome; the reducer and every
   * decision stay here.
   */
  executor?: StepExecutor;
}

export type StepExecutor = (execution: StepExecution, startedAt: number) => Promise<StepOutcome>;

type StartStep = Extract<Command, { kind: 'start-step' }>;

const LOCK_TTL_MS = 30_000;
const HOUR_MS = 3_600_000;

/**
 * Runs one campaign on this process: creates the runs that do not exist yet, resumes the others where
 * their event logs say they are, executes steps with a concurrency limit, applies events from the inbox
 * and waits' deadlines, and obeys pause, resume and cancel. The reducer decides; this class does the I/O.
 */
export class CampaignRunner {
  private readonly path: PathStep[];
  private readonly stepsById: Map<string, EngineStep>;
  private readonly pathById: Map<string, PathStep>;
  private readonly states = new Map<string, RunState>();
  private readonly targets = new Map<string, Target>();
  private readonly dirty = new Set<string>();
  private readonly queue: StartStep[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly controllers = new Map<string, Set<AbortController>>();
  private readonly admitted = new Set<string>();
  private readonly opened: number[] = [];
  private readonly clock: () => Date;
  private readonly redact: Redactor;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly owner = `${hostname()}:${process.pid}`;
  private status: CampaignStatus = 'active';
  private rollout: RolloutState | undefined;
  private readonly held = new Map<number, StartStep[]>();
  private active = 0;
  private open = 0;
  private creating = false;
  private cancelling = false;
  private polling = false;
  private deadline: { at: number; timer: NodeJS.Timeout } | undefined;
  private finished: (() => void) | undefined;
  private failed: ((error: unknown) => void) | undefined;

  constructor(
    private readonly campaign: EngineCampaign,
    private readonly options: RunnerOptions,
  ) {
    this.path = pathOf(campaign.steps);
    this.stepsById = new Map(campaign.steps.map((step) => [step.id, step]));
    this.pathById = new Map(this.path.map((step) => [step.id, step]));
    this.clock = options.clock ?? (() => new Date());
    this.env = options.env ?? process.env;
    this.redact = createRedactor(this.env);
  }

  /**
   * Runs the campaign until every run is done, or (until-idle) until nothing can move without an outside
   * event, or until the signal aborts; returns every run's state. `targets` are the fleet's selected
   * targets; runs created earlier keep the target recorded at their creation.
   */
  async run(targets: readonly Target[]): Promise<RunState[]> {
    const { store } = this.options;
    await this.lock();
    const heartbeat = setInterval(() => void this.lock().catch(() => undefined), LOCK_TTL_MS / 3);
    heartbeat.unref();
    const poll = setInterval(() => void this.poll(), this.options.pollMs ?? 500);
    try {
      const done = new Promise<void>((resolve, reject) => {
        this.finished = resolve;
        this.failed = reject;
      });
      this.status = (await store.getCampaign(this.campaign.name))?.status ?? 'active';
      const existing = await store.listRuns(this.campaign.name);
      for (const state of existing) this.states.set(state.runId, state);
      for (const recorded of await store.listRunTargets(this.campaign.name)) {
        if (recorded.spec && recorded.facts) this.targets.set(recorded.runId, { spec: recorded.spec, facts: recorded.facts } as Target);
      }
      for (const target of targets) {
        const runId = runIdOf(this.campaign.name, target.spec.name);
        if (!this.targets.has(runId)) this.targets.set(runId, target);
      }
      const fresh = this.status === 'cancelled' ? [] : targets.filter((target) => !this.states.has(runIdOf(this.campaign.name, target.spec.name)));
      for (const state of existing) {
        if (state.status === 'done') continue;
        if (!this.targets.has(state.runId)) throw new FlotillaError('bad-input', `run ${state.runId} is unfinished but its target is unknown`);
        this.open++;
        this.dirty.add(state.runId);
        this.admitted.add(state.runId);
        this.seedOpened(state);
      }
      this.open += fresh.length;
      if (this.open === 0) return this.results();
      if (this.campaign.rollout) this.rollout = await this.planRollout(targets);
      this.options.signal?.addEventListener('abort', () => this.stop(), { once: true });
      if (this.status === 'cancelled') await this.cancelAll('the campaign was cancelled', 'campaign status');
      for (const state of existing) if (state.status !== 'done') this.dispatchAll(resumeCommands(this.path, state));
      this.creating = true;
      for (const target of fresh) {
        if (this.options.signal?.aborted) break;
        const runId = runIdOf(this.campaign.name, target.spec.name);
        await this.apply(runId, { type: 'run.created', data: { target: target.spec.name, commit: target.facts.commit, spec: target.spec, facts: target.facts } });
      }
      this.creating = false;
      await this.advanceRollout();
      this.scheduleDeadlines();
      await this.poll();
      this.checkIdle();
      await done;
      return this.results();
    } finally {
      clearInterval(heartbeat);
      clearInterval(poll);
      // Events still being written (a run's completion after a shutdown) land before the lock is let go.
      while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
      for (const timer of this.timers) clearTimeout(timer);
      if (this.deadline) clearTimeout(this.deadline.timer);
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

  /** Applies events to a run one at a time, in order (a run's events are a sequence). */
  private apply(runId: string, body: RunEventBody, consumedInboxId?: number): Promise<RunState> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous.then(() => this.applyNow(runId, body, consumedInboxId));
    const settled = next.catch(() => undefined);
    this.chains.set(runId, settled);
    void settled.then(() => {
      if (this.chains.get(runId) === settled) this.chains.delete(runId);
    });
    return next;
  }

  private async applyNow(runId: string, body: RunEventBody, consumedInboxId?: number): Promise<RunState> {
    const event = { ...body, runId, at: this.clock().toISOString() } as RunEvent;
    const before = this.states.get(runId);
    const { state, commands } = reduce(this.path, before, event);
    event.seq = await this.options.store.appendEvent(event, state, consumedInboxId);
    this.states.set(runId, state);
    this.options.onEvent?.(event, state);
    // A run can be told to complete twice (a cancel racing a step's end): it ends once.
    if (event.type === 'run.completed' && before?.status !== 'done') await this.onRunDone(state);
    if (event.type === 'step.waiting' && event.data.wait.deadline) this.scheduleDeadline(Date.parse(event.data.wait.deadline));
    if (event.type === 'step.waiting') await this.advanceRollout();
    this.dispatchAll(commands);
    this.checkIdle();
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
    if (wait > 0) return this.later(wait, () => this.enqueue(command));
    this.enqueue(command);
  }

  private enqueue(command: StartStep): void {
    const target = this.states.get(command.runId)?.target;
    const wave = this.rollout && target !== undefined ? this.rollout.waveOf(target) : 0;
    if (this.rollout && wave > this.rollout.openWave) {
      const waiting = this.held.get(wave) ?? [];
      waiting.push(command);
      this.held.set(wave, waiting);
      return;
    }
    this.queue.push(command);
    this.pump();
  }

  private async planRollout(selected: readonly Target[]): Promise<RolloutState> {
    const settings = this.campaign.rollout;
    const all = [...this.targets.values()];
    const ordered = settings?.order === 'fleet' ? orderLike(all, selected) : orderByRisk(all);
    const sizes = settings?.waves ?? ['100%'];
    const plan = { waveOf: assignWaves(ordered, sizes), waves: sizes.length, gate: settings?.gate?.successRate ?? 0.2, ...(settings?.halt ? { halt: settings.halt } : {}) };
    return new RolloutState(plan, await this.options.store.listCampaignEvents(this.campaign.name));
  }

  /** Opens the next wave or halts the campaign when the runs say so. */
  private async advanceRollout(): Promise<void> {
    const rollout = this.rollout;
    if (!rollout || this.status !== 'active' || this.creating) return;
    for (;;) {
      const decision = rollout.decide([...this.states.values()]);
      if (decision.kind === 'none') return;
      const at = this.clock().toISOString();
      if (decision.kind === 'halt') {
        this.status = 'halted';
        await this.options.store.setCampaignStatus(this.campaign.name, 'halted', at);
        await this.options.store.appendCampaignEvent({ campaign: this.campaign.name, type: 'campaign.halted', at, data: { by: decision.by, wave: decision.wave, reason: decision.reason } });
        this.checkIdle();
        return;
      }
      rollout.openWave = decision.wave;
      const targets = [...this.targets.values()].filter((target) => rollout.waveOf(target.spec.name) === decision.wave).length;
      await this.options.store.appendCampaignEvent({ campaign: this.campaign.name, type: 'campaign.wave-started', at, data: { wave: decision.wave, targets, reason: decision.reason } });
      for (const command of this.held.get(decision.wave) ?? []) this.queue.push(command);
      this.held.delete(decision.wave);
      this.pump();
    }
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
      this.checkIdle();
    }, ms);
    this.timers.add(timer);
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.status === 'active' && !this.options.signal?.aborted) {
      const index = this.nextAdmissible();
      if (index === -1) break;
      const command = index === 0 ? this.queue.shift() : this.queue.splice(index, 1)[0];
      if (!command) break;
      if (this.deferForRate(command)) continue;
      this.active++;
      this.admitted.add(command.runId);
      this.execute(command)
        .catch((error: unknown) => this.failed?.(error))
        .finally(() => {
          this.active--;
          if ((this.options.signal?.aborted || this.open === 0) && this.active === 0) this.finished?.();
          else this.pump();
          this.checkIdle();
        });
    }
  }

  /** The first queued command the campaign's `inFlight` limit lets start (new runs wait for a slot). */
  private nextAdmissible(): number {
    if (this.queue.length === 0) return -1;
    const limit = this.campaign.limits?.inFlight;
    if (limit === undefined || this.admitted.size < limit) return 0;
    return this.queue.findIndex((command) => this.admitted.has(command.runId));
  }

  /** Holds back a step that opens a change while the campaign's `changesPerHour` is used up. */
  private deferForRate(command: StartStep): boolean {
    const limit = this.campaign.limits?.changesPerHour;
    if (limit === undefined || this.pathById.get(command.step)?.lands !== 'opens') return false;
    const now = this.clock().getTime();
    while (this.opened.length > 0 && (this.opened[0] ?? 0) <= now - HOUR_MS) this.opened.shift();
    if (this.opened.length < limit) {
      this.opened.push(now);
      return false;
    }
    this.later((this.opened[0] ?? now) + HOUR_MS - now + 10, () => this.enqueue(command));
    return true;
  }

  private seedOpened(state: RunState): void {
    for (const step of this.path) {
      const entry = state.steps[step.id];
      if (step.lands === 'opens' && entry?.startedAt) this.opened.push(Date.parse(entry.startedAt));
    }
    this.opened.sort((a, b) => a - b);
  }

  private async onRunDone(state: RunState): Promise<void> {
    this.open--;
    await this.advanceRollout();
    this.admitted.delete(state.runId);
    this.pump();
    if (!this.options.keepWorkspaces && (state.outcome === 'merged' || state.outcome === 'skipped' || state.outcome === 'cancelled')) {
      await rm(workspacePath(this.options.stateDir, this.campaign.name, state.target), { recursive: true, force: true });
    }
    // Steps of cancelled runs may still be winding down: the campaign is done when they are.
    if (this.open === 0 && this.active === 0) this.finished?.();
  }

  /** until-idle: done when no step runs or is queued and every unfinished run waits (or the campaign is paused). */
  private checkIdle(): void {
    if ((this.options.mode ?? 'until-idle') !== 'until-idle' || this.creating || this.cancelling) return;
    if (this.active > 0 || this.chains.size > 0) return;
    if (this.status === 'active' && (this.queue.length > 0 || this.timers.size > 0)) return;
    for (const state of this.states.values()) {
      if (state.status === 'running' && this.status === 'active') return;
    }
    this.finished?.();
  }

  private async execute(command: StartStep): Promise<void> {
    const step = this.stepsById.get(command.step);
    const target = this.targets.get(command.runId);
    const before = this.states.get(command.runId);
    if (!step || !target || !before) throw new FlotillaError('internal', `no step ${command.step} or run ${command.runId}`);
    if (before.status === 'done') return;
    const scope = this.scopeOf(before, target);
    if (step.condition && command.attempt === 1 && before.steps[step.id]?.status === 'ready') {
      let enabled: boolean;
      try {
        enabled = step.condition(scope);
      } catch (error) {
        await this.apply(command.runId, { type: 'step.started', data: { step: step.id, attempt: 1 } });
        const message = error instanceof Error ? error.message : String(error);
        await this.apply(command.runId, { type: 'step.failed', data: { step: step.id, attempt: 1, durationMs: 0, error: { code: 'bad-input', message, retryable: false } } });
        return;
      }
      if (!enabled) {
        await this.apply(command.runId, { type: 'step.skipped', data: { step: step.id, reason: 'its if: condition was false' } });
        return;
      }
    }
    const state = await this.apply(command.runId, { type: 'step.started', data: { step: step.id, attempt: command.attempt } });
    const started = performance.now();
    // One controller per step, cut by its timeout, a cancel or a shutdown; detached when the step ends,
    // so thousands of finished steps leave no timers or listeners behind.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FlotillaError('timeout', `timed out after ${Math.round(step.timeoutMs / 1000)}s`, { retryable: true })), step.timeoutMs);
    const stop = (): void => controller.abort(new FlotillaError('cancelled', 'the campaign was stopped'));
    this.options.signal?.addEventListener('abort', stop, { once: true });
    const running = this.controllers.get(command.runId) ?? new Set<AbortController>();
    running.add(controller);
    this.controllers.set(command.runId, running);
    try {
      const execute = this.options.executor ?? executeStep;
      const outcome = await execute(
        {
          campaign: this.campaign,
          step,
          state,
          target,
          attempt: command.attempt,
          scope,
          store: this.options.store,
          stateDir: this.options.stateDir,
          scm: this.options.scmFor(target),
          env: this.env,
          redact: this.redact,
          clock: this.clock,
          interpolate: this.options.interpolate,
          signal: controller.signal,
          dirty: this.dirty.has(command.runId),
        },
        started,
      );
      // Shutdown: leave the step `running`; the next run of the campaign starts it again.
      if (this.options.signal?.aborted) return;
      if (outcome.dirty) this.dirty.add(command.runId);
      else this.dirty.delete(command.runId);
      for (const item of outcome.reported) await this.apply(command.runId, { type: 'step.reported', data: { step: step.id, ...item } });
      await this.apply(command.runId, outcome.event);
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', stop);
      running.delete(controller);
    }
  }

  private scopeOf(state: RunState, target: Target): StepScope {
    const steps: StepScope['steps'] = {};
    for (const [id, step] of Object.entries(state.steps)) steps[id] = { outputs: step.output ?? {}, status: step.status };
    return { steps, target: target.facts, campaign: { name: this.campaign.name } };
  }

  /** Reads the campaign's status and its inbox: one pair of queries per tick for the whole campaign. */
  private async poll(): Promise<void> {
    if (this.polling || this.options.signal?.aborted) return;
    this.polling = true;
    try {
      const record = await this.options.store.getCampaign(this.campaign.name);
      const status = record?.status ?? 'active';
      if (status !== this.status) {
        const was = this.status;
        this.status = status;
        if (status === 'cancelled') await this.cancelAll('the campaign was cancelled', 'flotilla cancel');
        else if (status === 'active' && was === 'halted' && this.rollout) {
          const events = await this.options.store.listCampaignEvents(this.campaign.name);
          const halted = [...events].reverse().find((event) => event.type === 'campaign.halted');
          this.rollout.resumed(this.clock().getTime(), halted?.data.by === 'gate' ? 'gate' : 'breaker');
          await this.advanceRollout();
          this.pump();
        } else this.pump();
      }
      const signals = await this.options.store.pendingSignals(this.campaign.name, 500);
      for (const item of signals) await this.deliver(item);
      this.checkIdle();
    } catch (error) {
      this.failed?.(error);
    } finally {
      this.polling = false;
    }
  }

  private async deliver(item: InboxItem): Promise<void> {
    // A finished run still records what it is told (an outcome after merge, a late CI result): the
    // reducer changes nothing on it, but its history keeps the fact.
    if (!this.states.has(item.runId)) {
      await this.options.store.dropSignal(item.id, this.clock().toISOString());
      return;
    }
    await this.apply(item.runId, { type: 'signal.received', data: { name: item.name, data: item.data, cause: item.cause } }, item.id);
  }

  private async cancelAll(reason: string, cause: string): Promise<void> {
    // Not idle until every run has its run.cancelled: the steps being cut off wind down meanwhile.
    this.cancelling = true;
    try {
      await this.cancelEach(reason, cause);
    } finally {
      this.cancelling = false;
    }
    this.checkIdle();
  }

  private async cancelEach(reason: string, cause: string): Promise<void> {
    this.queue.length = 0;
    for (const state of [...this.states.values()]) {
      if (state.status === 'done') continue;
      for (const controller of this.controllers.get(state.runId) ?? []) controller.abort(new FlotillaError('cancelled', reason));
      const target = this.targets.get(state.runId);
      if (target && this.campaign.closeChangesOnCancel !== false) {
        const closed = await cancelRun(state, this.options.scmFor(target), workspacePath(this.options.stateDir, this.campaign.name, target.spec.name), reason);
        if (closed) await this.apply(state.runId, { type: 'step.reported', data: { step: closed.step, name: 'change.closed', data: { branch: closed.branch, reason } } });
      }
      await this.apply(state.runId, { type: 'run.cancelled', data: { reason, cause } });
    }
  }

  /** One timer for the earliest deadline of all waiting steps, however many runs wait. */
  private scheduleDeadlines(): void {
    for (const state of this.states.values()) {
      if (state.status === 'done') continue;
      for (const step of Object.values(state.steps)) {
        if (step.status === 'waiting' && step.wait?.deadline) this.scheduleDeadline(Date.parse(step.wait.deadline));
      }
    }
  }

  private scheduleDeadline(at: number): void {
    if (this.deadline && this.deadline.at <= at) return;
    if (this.deadline) clearTimeout(this.deadline.timer);
    const timer = setTimeout(() => void this.fireDeadlines(), Math.max(0, at - this.clock().getTime()));
    timer.unref();
    this.deadline = { at, timer };
  }

  private async fireDeadlines(): Promise<void> {
    this.deadline = undefined;
    const now = this.clock().getTime();
    try {
      for (const state of [...this.states.values()]) {
        if (state.status === 'done') continue;
        for (const [id, step] of Object.entries(state.steps)) {
          if (step.status === 'waiting' && step.wait?.deadline && Date.parse(step.wait.deadline) <= now) {
            await this.apply(state.runId, { type: 'wait.timed-out', data: { step: id } });
          }
        }
      }
      this.scheduleDeadlines();
    } catch (error) {
      this.failed?.(error);
    }
  }
}

/** `all` in the order `selected` (the fleet file's) gives, then any others by name. */
function orderLike(all: readonly Target[], selected: readonly Target[]): Target[] {
  const position = new Map(selected.map((target, index) => [target.spec.name, index]));
  return [...all].sort((a, b) => (position.get(a.spec.name) ?? Infinity) - (position.get(b.spec.name) ?? Infinity) || a.spec.name.localeCompare(b.spec.name));
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
