import { describe, expect, it } from 'vitest';
import type { RunState, StepState } from '../model/run.js';
import type { CampaignStatus } from '../store/store.js';
import { stuckReason, type RunContext } from './stuck-reason.js';

const NOW = new Date('2026-01-01T12:10:00.000Z');

function run(steps: Record<string, StepState>, extra: Partial<RunState> = {}): RunState {
  return { runId: 'c:svc', campaign: 'c', target: 'svc', status: 'running', reasons: [], steps, baseCommit: 'abc', createdAt: '2026-01-01T12:00:00.000Z', updatedAt: '2026-01-01T12:05:00.000Z', version: 3, ...extra };
}

const done = { status: 'succeeded', attempt: 1, startedAt: '2026-01-01T12:00:00.000Z', finishedAt: '2026-01-01T12:01:00.000Z', durationMs: 60_000 } as const;
const waitingFor = (types: string[], reason: string, deadline?: string): StepState => ({
  status: 'waiting',
  attempt: 1,
  startedAt: '2026-01-01T12:00:00.000Z',
  durationMs: 0,
  wait: { types, reason, onTimeout: 'needs-human', ...(deadline ? { deadline } : {}) },
});

describe('stuckReason', () => {
  const cases: { name: string; state: RunState; campaign?: CampaignStatus; context?: Partial<RunContext>; kind: string | undefined; reason?: RegExp; step?: string | null; since?: string | null }[] = [
    { name: 'a run waiting for CI says for what and how long', state: run({ a: done, ci: waitingFor(['ci.completed'], 'CI on 0123456789') }, { status: 'waiting' }), kind: 'waiting-ci', reason: /^waiting for CI on 0123456789 for 10m00s$/, step: 'ci', since: '2026-01-01T12:00:00.000Z' },
    {
      name: 'an approval names the approvers and the deadline',
      state: run({ gate: waitingFor(['approval.granted'], 'approval from team-sre', '2026-01-02T00:00:00.000Z') }, { status: 'waiting' }),
      kind: 'needs-approval',
      reason: /^needs approval from team-sre for 10m00s; at 2026-01-02T00:00:00.000Z it will end needing a human$/,
      step: 'gate',
    },
    { name: 'any other wait names the step', state: run({ pause: waitingFor(['deploy.finished'], 'the deploy') }, { status: 'waiting' }), kind: 'waiting', reason: /^waiting at step pause for the deploy/ },
    { name: 'a running step says for how long', state: run({ test: { status: 'running', attempt: 2, startedAt: '2026-01-01T12:09:30.000Z' } }), kind: 'running', reason: /^running step test for 30\.0s \(attempt 2\)$/, since: '2026-01-01T12:09:30.000Z' },
    {
      name: 'a retrying step gives the error and the next attempt',
      state: run({ test: { status: 'retrying', attempt: 1, finishedAt: '2026-01-01T12:09:00.000Z', notBefore: '2026-01-01T12:11:00.000Z', error: { code: 'step-failed', message: 'exit 1\nmore', retryable: true } } }),
      kind: 'retrying',
      reason: /^step test failed on attempt 1: exit 1; next attempt at 2026-01-01T12:11:00.000Z$/,
    },
    { name: 'a paused campaign holds a ready step', state: run({ a: done, b: { status: 'pending', attempt: 0 } }), campaign: 'paused', kind: 'paused', reason: /^the campaign is paused; next step: b$/ },
    { name: 'a halted campaign says why', state: run({ a: { status: 'ready', attempt: 0 } }), campaign: 'halted', context: { halted: 'circuit breaker: 3 of 4 runs failed' }, kind: 'halted', reason: /^the campaign halted: circuit breaker: 3 of 4 runs failed; resume it to go on$/ },
    { name: 'a run of a later wave waits for it', state: run({ a: { status: 'ready', attempt: 0 } }), context: { wave: 2, openWave: 0 }, kind: 'waiting-wave', reason: /^waiting for wave 3 to start \(wave 1 is open\)$/ },
    { name: 'a run of an open wave is queued', state: run({ a: { status: 'ready', attempt: 0 } }), context: { wave: 1, openWave: 1 }, kind: 'queued' },
    { name: 'an approval outranks the halt', state: run({ gate: waitingFor(['approval.granted'], 'approval from team-sre') }, { status: 'waiting' }), campaign: 'halted', kind: 'needs-approval' },
    { name: 'a ready step waits for a slot', state: run({ a: { status: 'ready', attempt: 0 } }), kind: 'queued', reason: /^queued: step a starts when a slot is free$/ },
    {
      name: 'a failed run gives the step and the first line of its error',
      state: run({ test: { ...done, status: 'failed', error: { code: 'step-failed', message: 'npm test exited with code 1\nstack…', retryable: false } } }, { status: 'done', outcome: 'failed', failedStep: 'test', reasons: ['test failed'] }),
      kind: 'failed',
      reason: /^failed at step test: npm test exited with code 1$/,
      step: 'test',
      since: '2026-01-01T12:01:00.000Z',
    },
    {
      name: 'a compliance block is a policy block',
      state: run({ comply: done }, { status: 'done', outcome: 'needs-human', reasons: ['compliance: licenses: x@1 is GPL-3.0-only', 'compliance: secrets: a key'] }),
      kind: 'blocked',
      reason: /^blocked by policy: licenses: x@1 is GPL-3\.0-only \(and 1 more\)$/,
      step: 'comply',
    },
    { name: 'other needs-human reasons are quoted', state: run({ canary: done }, { status: 'done', outcome: 'needs-human', reasons: ['canary marginal: score 60'] }), kind: 'needs-human', reason: /^needs a human: canary marginal: score 60$/ },
    { name: 'a merged run is not stuck', state: run({ merge: done }, { status: 'done', outcome: 'merged' }), kind: undefined },
    { name: 'a skipped run is not stuck', state: run({}, { status: 'done', outcome: 'skipped', reasons: ['nothing to do'] }), kind: undefined },
    { name: 'a run of a cancelled campaign is ending', state: run({ a: { status: 'running', attempt: 1 } }), campaign: 'cancelled', kind: 'ending', reason: /cancelled/ },
    { name: 'a run with an ending is ending', state: run({ a: done }, { ending: { outcome: 'failed', reasons: ['boom\nmore'] }, cleanup: 'undo' }), kind: 'ending', reason: /^ending as failed: boom \(clean-up step undo runs first\)$/ },
  ];
  it.each(cases)('$name', ({ state, campaign, context, kind, reason, step, since }) => {
    const result = stuckReason(state, { status: campaign ?? 'active', ...context }, NOW);
    expect(result?.kind).toBe(kind);
    if (reason) expect(result?.reason).toMatch(reason);
    if (step !== undefined) expect(result?.step).toBe(step);
    if (since !== undefined) expect(result?.since).toBe(since);
  });
});
