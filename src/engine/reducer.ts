import type { RunEvent } from '../model/events.js';
import type { Outcome, RunState, StepState } from '../model/run.js';
import type { Command, PathStep } from './commands.js';

export interface Reduction {
  state: RunState;
  commands: Command[];
}

/**
 * The whole orchestration logic of a run: (state, event) → (state, commands). Pure and deterministic —
 * time comes from the event — so both engines behave the same and a run can be rebuilt from its log.
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
    return { state: created, commands: nextCommands(path, created) };
  }
  if (!state) throw new Error(`event ${event.type} for run ${event.runId} arrived before run.created`);
  const next: RunState = { ...state, steps: { ...state.steps }, updatedAt: event.at, version: state.version + 1 };
  if (state.status === 'done' && event.type !== 'run.completed') return { state: next, commands: [] };

  switch (event.type) {
    case 'step.started': {
      next.steps[event.data.step] = {
        status: 'running',
        attempt: event.data.attempt,
        startedAt: event.at,
      };
      return { state: next, commands: [] };
    }
    case 'step.succeeded': {
      const { step, durationMs, output, changeTree, endRun } = event.data;
      next.steps[step] = { ...stepOf(next, step), status: 'succeeded', finishedAt: event.at, durationMs, output };
      if (changeTree) next.changeTree = changeTree;
      if (endRun) {
        next.ending = { outcome: endRun.outcome, reasons: endRun.reasons, ...(endRun.outcome === 'failed' ? { failedStep: step } : {}) };
        return { state: next, commands: [finishCommand(next.runId, next.ending)] };
      }
      return { state: next, commands: nextCommands(path, next) };
    }
    case 'step.failed': {
      const { step, attempt, durationMs, error } = event.data;
      const policy = path.find((candidate) => candidate.id === step);
      const previous = stepOf(next, step);
      if (error.retryable && policy && attempt < policy.attempts) {
        const delay = policy.backoffMs * 2 ** (attempt - 1);
        const notBefore = new Date(Date.parse(event.at) + delay).toISOString();
        next.steps[step] = { ...previous, status: 'retrying', finishedAt: event.at, durationMs, error, notBefore };
        return { state: next, commands: [{ kind: 'start-step', runId: next.runId, step, attempt: attempt + 1, notBefore }] };
      }
      next.steps[step] = { ...previous, status: 'failed', finishedAt: event.at, durationMs, error };
      next.ending = { outcome: 'failed', reasons: [`${step} failed: ${error.message}`], failedStep: step };
      return { state: next, commands: [finishCommand(next.runId, next.ending)] };
    }
    case 'step.skipped': {
      next.steps[event.data.step] = { ...stepOf(next, event.data.step), status: 'skipped', reason: event.data.reason };
      return { state: next, commands: nextCommands(path, next) };
    }
    case 'step.reported':
      return { state: next, commands: [] };
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
 * The commands that move a run forward from `state` when nothing is in flight: used after each event and
 * to resume a run whose process died (a step left `running` by a dead process is started again).
 */
export function resumeCommands(path: readonly PathStep[], state: RunState): Command[] {
  if (state.status === 'done') return [];
  if (state.ending) return [finishCommand(state.runId, state.ending)];
  for (const step of path) {
    const current = state.steps[step.id];
    if (!current || current.status === 'pending') continue;
    if (current.status === 'running') {
      return [{ kind: 'start-step', runId: state.runId, step: step.id, attempt: current.attempt }];
    }
    if (current.status === 'retrying') {
      const command: Command = { kind: 'start-step', runId: state.runId, step: step.id, attempt: current.attempt + 1 };
      if (current.notBefore) command.notBefore = current.notBefore;
      return [command];
    }
  }
  return nextCommands(path, state);
}

function nextCommands(path: readonly PathStep[], state: RunState): Command[] {
  for (const step of path) {
    const current = state.steps[step.id];
    const status = current?.status ?? 'pending';
    if (status === 'succeeded' || status === 'skipped') continue;
    if (status === 'pending') return [{ kind: 'start-step', runId: state.runId, step: step.id, attempt: 1 }];
    return [];
  }
  return [{ kind: 'finish-run', runId: state.runId, outcome: finalOutcome(path, state), reasons: [] }];
}

/** A path that landed its change ends `merged`; one that only published it ends `changed`. */
function finalOutcome(path: readonly PathStep[], state: RunState): Outcome {
  const landed = (role: 'opens' | 'merges'): boolean =>
    path.some((step) => step.lands === role && state.steps[step.id]?.status === 'succeeded');
  if (landed('merges')) return 'merged';
  return 'changed';
}

function finishCommand(runId: string, ending: NonNullable<RunState['ending']>): Command {
  const command: Command = { kind: 'finish-run', runId, outcome: ending.outcome, reasons: ending.reasons };
  if (ending.failedStep) command.failedStep = ending.failedStep;
  return command;
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
