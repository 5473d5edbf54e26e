import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../model/events.js';
import type { RunState } from '../model/run.js';
import type { PathStep } from './commands.js';
import { reduce, resumeCommands } from './reducer.js';

const path: PathStep[] = [
  { id: 'bump', attempts: 1, backoffMs: 1000, needs: [], onFailure: 'fail' },
  { id: 'test', attempts: 3, backoffMs: 1000, needs: ['bump'], onFailure: 'fail' },
  { id: 'open', attempts: 1, backoffMs: 1000, lands: 'opens', needs: ['test'], onFailure: 'fail' },
  { id: 'merge', attempts: 1, backoffMs: 1000, lands: 'merges', needs: ['open'], onFailure: 'fail' },
];

let clock = 0;
function event(body: RunEventBody): RunEvent {
  clock += 1000;
  return { ...body, runId: 'c:t', at: new Date(Date.UTC(2026, 0, 1) + clock).toISOString() };
}

function replay(bodies: RunEventBody[]): { state: RunState; commands: ReturnType<typeof reduce>['commands'] } {
  let state: RunState | undefined;
  let commands: ReturnType<typeof reduce>['commands'] = [];
  for (const body of bodies) ({ state, commands } = reduce(path, state, event(body)));
  if (!state) throw new Error('no state');
  return { state, commands };
}

const created: RunEventBody = { type: 'run.created', data: { target: 't', commit: 'abc' } };
const started = (step: string, attempt = 1): RunEventBody => ({ type: 'step.started', data: { step, attempt } });
const succeeded = (step: string, attempt = 1, output: Record<string, unknown> = {}): RunEventBody => ({
  type: 'step.succeeded',
  data: { step, attempt, durationMs: 5, output },
});
const failed = (step: string, attempt: number, retryable: boolean): RunEventBody => ({
  type: 'step.failed',
  data: { step, attempt, durationMs: 5, error: { code: 'step-failed', message: 'tests failed', retryable } },
});
const skippedBump: RunEventBody = {
  type: 'step.succeeded',
  data: { step: 'bump', attempt: 1, durationMs: 1, output: {}, endRun: { outcome: 'skipped', reasons: ['why'] } },
};
const allSucceed = path.flatMap((step) => [started(step.id), succeeded(step.id)]);

describe('reduce', () => {
  it('starts the first step when a run is created', () => {
    const { state, commands } = replay([created]);
    expect(state.status).toBe('running');
    expect(state.baseCommit).toBe('abc');
    expect(commands).toEqual([{ kind: 'start-step', runId: 'c:t', step: 'bump', attempt: 1 }]);
  });

  it('moves to the next step after a success and finishes as merged after the merge step', () => {
    expect(replay([created, started('bump'), succeeded('bump')]).commands).toEqual([{ kind: 'start-step', runId: 'c:t', step: 'test', attempt: 1 }]);
    const { commands } = replay([created, ...allSucceed]);
    expect(commands).toEqual([{ kind: 'finish-run', runId: 'c:t', outcome: 'merged', reasons: [] }]);
  });

  it('finishes as changed when the merge step was skipped', () => {
    const bodies = [created, ...allSucceed.slice(0, 6), { type: 'step.skipped', data: { step: 'merge', reason: 'if false' } } as RunEventBody];
    expect(replay(bodies).commands).toEqual([{ kind: 'finish-run', runId: 'c:t', outcome: 'changed', reasons: [] }]);
  });

  it('retries a retryable failure with exponential backoff while attempts remain', () => {
    const first = replay([created, started('bump'), succeeded('bump'), started('test'), failed('test', 1, true)]);
    expect(first.state.steps.test?.status).toBe('retrying');
    expect(first.commands).toEqual([{ kind: 'start-step', runId: 'c:t', step: 'test', attempt: 2, notBefore: expect.any(String) as string }]);
    const second = replay([created, started('bump'), succeeded('bump'), started('test'), failed('test', 1, true), started('test', 2), failed('test', 2, true)]);
    const failedAt = Date.parse(second.state.steps.test?.finishedAt ?? '');
    const command = second.commands[0];
    expect(command?.kind === 'start-step' && Date.parse(command.notBefore ?? '') - failedAt).toBe(2000);
  });

  it.each([
    ['a non-retryable failure', [failed('test', 1, false)]],
    ['a retryable failure on the last attempt', [failed('test', 1, true), started('test', 2), failed('test', 2, true), started('test', 3), failed('test', 3, true)]],
  ])('fails the run at the step on %s', (_name, tail) => {
    const { state, commands } = replay([created, started('bump'), succeeded('bump'), started('test'), ...tail]);
    expect(state.steps.test?.status).toBe('failed');
    expect(commands).toEqual([{ kind: 'finish-run', runId: 'c:t', outcome: 'failed', reasons: ['test failed: tests failed'], failedStep: 'test' }]);
  });

  it('ends the run early when a step says so', () => {
    const end: RunEventBody = { type: 'step.succeeded', data: { step: 'bump', attempt: 1, durationMs: 1, output: {}, endRun: { outcome: 'skipped', reasons: ['not a dependency'] } } };
    const { commands } = replay([created, started('bump'), end]);
    expect(commands).toEqual([{ kind: 'finish-run', runId: 'c:t', outcome: 'skipped', reasons: ['not a dependency'] }]);
  });

  it('records the outcome on run.completed and ignores later step events', () => {
    const done = replay([created, ...allSucceed, { type: 'run.completed', data: { outcome: 'merged', reasons: [] } }]);
    expect(done.state).toMatchObject({ status: 'done', outcome: 'merged' });
    const after = reduce(path, done.state, event(started('bump')));
    expect(after.state.steps.bump?.status).toBe('succeeded');
    expect(after.commands).toEqual([]);
  });

  it('counts every event in the version', () => {
    expect(replay([created, started('bump'), succeeded('bump')]).state.version).toBe(3);
  });
});

describe('resumeCommands', () => {
  it('starts again a step a dead process left running, with the same attempt', () => {
    const { state } = replay([created, started('bump'), succeeded('bump'), started('test', 1)]);
    expect(resumeCommands(path, state)).toEqual([{ kind: 'start-step', runId: 'c:t', step: 'test', attempt: 1 }]);
  });

  it('schedules a pending retry', () => {
    const { state } = replay([created, started('bump'), succeeded('bump'), started('test'), failed('test', 1, true)]);
    expect(resumeCommands(path, state)).toEqual([{ kind: 'start-step', runId: 'c:t', step: 'test', attempt: 2, notBefore: state.steps.test?.notBefore }]);
  });

  it.each([
    ['a step that ended the run', [started('bump'), skippedBump], 'skipped'],
    ['a final failure', [started('bump'), failed('bump', 1, false)], 'failed'],
    ['every step done', allSucceed, 'merged'],
  ])('completes a run whose completion was not recorded after %s', (_name, tail, outcome) => {
    const { state } = replay([created, ...tail]);
    expect(resumeCommands(path, state)).toMatchObject([{ kind: 'finish-run', outcome }]);
  });

  it('does nothing for a finished run', () => {
    const { state } = replay([created, ...allSucceed, { type: 'run.completed', data: { outcome: 'merged', reasons: [] } }]);
    expect(resumeCommands(path, state)).toEqual([]);
  });
});
