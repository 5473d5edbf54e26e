import type { RunEvent } from '../model/events.js';
import type { Outcome, RunState, StepError, StepState } from '../model/run.js';
import { matchesWait } from '../model/wait.js';
import type { Command, PathStep } from './commands.js';

export interface Reduction {
  state: RunState;
  commands: Command[];
}

type Ending = NonNullable<RunState['ending']>;

/**
 * The whole orchestration logic of a run: (state, event) → (state, commands). Pure and deterministic —
 * time comes from the event — so both engines behave the same and a run can be rebuilt from its log.
 *
 * A path is a graph: a step starts when the steps it `needs` are finished; a step with `on:` starts when
 * its event arrives; a step may wait (for an event or a deadline) at no cost; a failure is handled as the
 * step's `on-failure` says.
 */
export function reduce(path: readonly PathStep[], state: RunState | undefined, event: RunEvent): Reduction {
  if (event.type === 'run.created') {
    if (state) return { state, commands: [] };
    const steps: Record<string, StepState> = {};
    for (const step of path) steps[step.id] = { status: 'pending', attempt: 0 };
    const created: RunState = {
      runId: event.runId,
      campaign: campaignOf(event.runId),
      target: event.data.target,
      baseCommit: event.data.commit,
      status: 'running',
      reasons: [],
      steps,
      createdAt: event.at,
      updatedAt: event.at,
      version: 1,
    };
    return { state: created, commands: advance(path, created) };
  }
  if (!state) throw new Error(`event ${event.type} for run ${event.runId} arrived before run.created`);
  const next: RunState = { ...state, steps: { ...state.steps }, updatedAt: event.at, version: state.version + 1 };
  if (state.status === 'done') return { state: next, commands: [] };

  switch (event.type) {
    case 'step.started': {
      next.steps[event.data.step] = { status: 'running', attempt: event.data.attempt, startedAt: event.at };
      return settle(next, []);
    }
    case 'step.succeeded': {
      const { step, durationMs, output, changeTree, endRun } = event.data;
      next.steps[step] = { ...stepOf(next, step), status: 'succeeded', finishedAt: event.at, durationMs, output };
      if (changeTree) next.changeTree = changeTree;
      if (endRun) return end(path, next, { outcome: endRun.outcome, reasons: endRun.reasons, ...(endRun.outcome === 'failed' ? { failedStep: step } : {}) });
      return settle(next, advance(path, next));
    }
    case 'step.waiting': {
      const { step, durationMs, wait, output } = event.data;
      next.steps[step] = { ...stepOf(next, step), status: 'waiting', durationMs, wait, output };
      return settle(next, advance(path, next));
    }
    case 'step.failed': {
      const { step, attempt, durationMs, error } = event.data;
      const policy = path.find((candidate) => candidate.id === step);
      const previous = stepOf(next, step);
      if (error.retryable && policy && attempt < policy.attempts) {
        const notBefore = new Date(Date.parse(event.at) + policy.backoffMs * 2 ** (attempt - 1)).toISOString();
        next.steps[step] = { ...previous, status: 'retrying', finishedAt: event.at, durationMs, error, notBefore };
        return settle(next, [{ kind: 'start-step', runId: next.runId, step, attempt: attempt + 1, notBefore }]);
      }
      next.steps[step] = { ...previous, status: 'failed', finishedAt: event.at, durationMs, error };
      return fail(path, next, step, error);
    }
    case 'step.skipped': {
      next.steps[event.data.step] = { ...stepOf(next, event.data.step), status: 'skipped', reason: event.data.reason };
      return settle(next, advance(path, next));
    }
    case 'step.reported':
      return settle(next, trigger(path, next, event.data.name, event.data.data));
    case 'signal.received':
      return receive(path, next, event.data.name, event.data.data, event.at);
    case 'wait.timed-out':
      return timeOut(path, next, event.data.step, event.at);
    case 'run.cancelled':
      return end(path, next, { outcome: 'cancelled', reasons: [event.data.reason] }, true);
    case 'run.completed': {
      next.status = 'done';
      next.outcome = event.data.outcome;
      next.reasons = event.data.reasons;
      if (event.data.failedStep) next.failedStep = event.data.failedStep;
      return { state: next, commands: [] };
    }
  }
}

/**
 * The commands that move a run forward when nothing is in flight: used to resume a run whose process
 * died. A step left `running` or `ready` by a dead process is started again with the same attempt.
 */
export function resumeCommands(path: readonly PathStep[], state: RunState): Command[] {
  if (state.status === 'done') return [];
  const commands: Command[] = [];
  for (const step of path) {
    const current = state.steps[step.id];
    if (current?.status === 'running' || current?.status === 'ready') {
      commands.push({ kind: 'start-step', runId: state.runId, step: step.id, attempt: Math.max(1, current.attempt) });
    } else if (current?.status === 'retrying') {
      const command: Command = { kind: 'start-step', runId: state.runId, step: step.id, attempt: current.attempt + 1 };
      if (current.notBefore) command.notBefore = current.notBefore;
      commands.push(command);
    }
  }
  return [...commands, ...advance(path, state)];
}

/** Steps that can start now (marked `ready`), or the end of the run when nothing is left to do. */
function advance(path: readonly PathStep[], state: RunState): Command[] {
  if (state.ending) {
    const cleanup = state.cleanup ? state.steps[state.cleanup] : undefined;
    if (state.cleanup && cleanup?.status === 'pending') return start(state, state.cleanup);
    if (cleanup && isActive(cleanup.status)) return [];
    return [finishCommand(state.runId, state.ending)];
  }
  const commands: Command[] = [];
  for (const step of path) {
    if (step.handler || step.on) continue;
    if (state.steps[step.id]?.status !== 'pending') continue;
    if (step.needs.every((need) => isFinished(path, state, need))) commands.push(...start(state, step.id));
  }
  if (commands.length > 0) return commands;
  const busy = path.some((step) => isActive(state.steps[step.id]?.status ?? 'pending'));
  const blocked = path.some((step) => !step.handler && !step.on && state.steps[step.id]?.status === 'pending');
  if (busy || blocked) return [];
  return [finishCommand(state.runId, { outcome: finalOutcome(path, state), reasons: [] })];
}

function start(state: RunState, step: string): Command[] {
  state.steps[step] = { ...stepOf(state, step), status: 'ready' };
  return [{ kind: 'start-step', runId: state.runId, step, attempt: 1 }];
}

function isActive(status: StepState['status']): boolean {
  return status === 'ready' || status === 'running' || status === 'retrying' || status === 'waiting';
}

function isFinished(path: readonly PathStep[], state: RunState, id: string): boolean {
  const status = state.steps[id]?.status;
  if (status === 'succeeded' || status === 'skipped') return true;
  return status === 'failed' && path.find((step) => step.id === id)?.onFailure === 'continue';
}

/** Starts the `on:` steps an event triggers. */
function trigger(path: readonly PathStep[], state: RunState, name: string, data: Record<string, unknown>): Command[] {
  const commands: Command[] = [];
  for (const step of path) {
    if (!step.on || step.on.type !== name || state.steps[step.id]?.status !== 'pending') continue;
    if (step.on.where && !step.on.where(data)) continue;
    commands.push(...start(state, step.id));
  }
  return commands;
}

/** An event from outside: it may start `on:` steps and end waits. */
function receive(path: readonly PathStep[], state: RunState, name: string, data: Record<string, unknown>, at: string): Reduction {
  const commands = trigger(path, state, name, data);
  for (const [id, step] of Object.entries(state.steps)) {
    if (step.status !== 'waiting' || !step.wait) continue;
    const failOn = step.wait.failOn?.[name];
    if (failOn && matchesWait({ types: [name], ...(step.wait.match ? { match: step.wait.match } : {}) }, name, data)) {
      const why = typeof data.reason === 'string' && data.reason ? `: ${data.reason}` : '';
      const error: StepError = { code: 'rejected', message: `${name}${why}`, retryable: false };
      state.steps[id] = { ...step, status: 'failed', finishedAt: at, error };
      if (failOn === 'needs-human') return end(path, state, { outcome: 'needs-human', reasons: [`${id}: ${name}${why}`] });
      return fail(path, state, id, error);
    }
    if (matchesWait(step.wait, name, data)) {
      const output = { ...step.output, event: name, ...data };
      const unmet = Object.entries(step.wait.require ?? {}).find(([key, allowed]) => !allowed.includes(data[key] as string | number | boolean));
      if (unmet) {
        const error: StepError = { code: 'step-failed', message: `${name} with ${unmet[0]} ${JSON.stringify(data[unmet[0]] ?? null)}`, retryable: false };
        state.steps[id] = { ...step, status: 'failed', finishedAt: at, output, error };
        return fail(path, state, id, error);
      }
      state.steps[id] = { ...step, status: 'succeeded', finishedAt: at, output };
    }
  }
  return settle(state, [...commands, ...advance(path, state)]);
}

function timeOut(path: readonly PathStep[], state: RunState, id: string, at: string): Reduction {
  const step = state.steps[id];
  if (!step || step.status !== 'waiting' || !step.wait) return settle(state, []);
  const policy = path.find((candidate) => candidate.id === id)?.onTimeout ?? step.wait.onTimeout;
  if (policy === 'continue') {
    state.steps[id] = { ...step, status: 'succeeded', finishedAt: at, output: { ...step.output, timedOut: true } };
    return settle(state, advance(path, state));
  }
  const message = `${step.wait.reason}: no answer by ${step.wait.deadline ?? at}`;
  if (policy === 'needs-human') {
    state.steps[id] = { ...step, status: 'failed', finishedAt: at, error: { code: 'timeout', message, retryable: false } };
    return end(path, state, { outcome: 'needs-human', reasons: [`${id}: ${message}`] });
  }
  const error: StepError = { code: 'timeout', message, retryable: false };
  state.steps[id] = { ...step, status: 'failed', finishedAt: at, error };
  return fail(path, state, id, error);
}

/** A step failed for good: its `on-failure` decides what happens to the run. */
function fail(path: readonly PathStep[], state: RunState, id: string, error: StepError): Reduction {
  const policy = path.find((step) => step.id === id)?.onFailure ?? 'fail';
  const reason = `${id} failed: ${error.message}`;
  if (state.cleanup === id) return settle(state, advance(path, state));
  if (policy === 'continue') return settle(state, advance(path, state));
  if (policy === 'needs-human') return end(path, state, { outcome: 'needs-human', reasons: [reason] });
  if (typeof policy === 'object') state.cleanup = policy.step;
  return end(path, state, { outcome: 'failed', reasons: [reason], failedStep: id });
}

/** Records how the run ends; it finishes once its clean-up step (if any) is done. */
function end(path: readonly PathStep[], state: RunState, ending: Ending, force = false): Reduction {
  if (state.ending && !force) return settle(state, advance(path, state));
  state.ending = ending;
  if (force) delete state.cleanup;
  return settle(state, advance(path, state));
}

function settle(state: RunState, commands: Command[]): Reduction {
  const statuses = Object.values(state.steps).map((step) => step.status);
  if (statuses.some((status) => status === 'ready' || status === 'running' || status === 'retrying')) state.status = 'running';
  else if (statuses.includes('waiting')) state.status = 'waiting';
  else state.status = 'running';
  return { state, commands };
}

function finishCommand(runId: string, ending: Ending): Command {
  const command: Command = { kind: 'finish-run', runId, outcome: ending.outcome, reasons: ending.reasons };
  if (ending.failedStep) command.failedStep = ending.failedStep;
  return command;
}

/** A path that landed its change ends `merged`; one that only published it ends `changed`. */
function finalOutcome(path: readonly PathStep[], state: RunState): Outcome {
  const landed = (role: 'opens' | 'merges'): boolean => path.some((step) => step.lands === role && state.steps[step.id]?.status === 'succeeded');
  if (landed('merges')) return 'merged';
  return 'changed';
}

function stepOf(state: RunState, step: string): StepState {
  return state.steps[step] ?? { status: 'pending', attempt: 0 };
}

/** Run ids are `<campaign>:<target>`; campaign names cannot contain a colon. */
export function runIdOf(campaign: string, target: string): string {
  return `${campaign}:${target}`;
}

export function campaignOf(runId: string): string {
  const colon = runId.indexOf(':');
  return colon === -1 ? runId : runId.slice(0, colon);
}
