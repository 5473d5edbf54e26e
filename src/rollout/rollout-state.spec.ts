import { describe, expect, it } from 'vitest';
import type { RunState } from '../model/run.js';
import type { CampaignEvent } from '../store/store.js';
import { RolloutState } from './rollout-state.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

function run(target: string, outcome: RunState['outcome'] | 'running' | 'waiting', minute = 1): RunState {
  const done = outcome !== 'running' && outcome !== 'waiting';
  return {
    runId: `c:${target}`,
    campaign: 'c',
    target,
    status: done ? 'done' : outcome,
    ...(done ? { outcome } : {}),
    reasons: [],
    steps: {},
    baseCommit: '',
    createdAt: at(0),
    updatedAt: at(minute),
    version: 1,
  };
}

const plan = {
  waveOf: new Map([['a', 0], ['b', 0], ['c', 1], ['d', 1], ['e', 1], ['f', 1], ['g', 1]]),
  waves: 2,
  gate: 0.2,
  halt: { failureRate: 0.5, minRuns: 4 },
};
const started = (wave: number, minute = 0): CampaignEvent => ({ campaign: 'c', type: 'campaign.wave-started', at: at(minute), data: { wave } });

describe('RolloutState.decide', () => {
  it('opens the first wave at the start', () => {
    expect(new RolloutState(plan, []).decide([])).toMatchObject({ kind: 'open', wave: 0 });
  });

  it.each([
    ['waits while a run of the wave is running', [run('a', 'merged'), run('b', 'running')], { kind: 'none' }],
    ['opens the next wave when the gate is met (waiting runs count as settled)', [run('a', 'merged'), run('b', 'waiting')], { kind: 'open', wave: 1 }],
    ['opens when the wave had nothing to judge', [run('a', 'skipped'), run('b', 'skipped')], { kind: 'open', wave: 1 }],
    ['halts at the gate when the lower bound is too low', [run('a', 'merged'), run('b', 'failed')], { kind: 'halt', by: 'gate', wave: 0 }],
  ])('%s', (_name, runs, decision) => {
    expect(new RolloutState(plan, [started(0)]).decide(runs)).toMatchObject(decision);
  });

  it('trips the circuit breaker only after minRuns decisive runs', () => {
    const state = new RolloutState(plan, [started(0), started(1)]);
    expect(state.decide([run('c', 'failed'), run('d', 'failed'), run('e', 'skipped'), run('f', 'merged')])).toMatchObject({ kind: 'none' });
    expect(state.decide([run('c', 'failed'), run('d', 'failed'), run('e', 'merged'), run('f', 'merged')])).toMatchObject({ kind: 'halt', by: 'breaker' });
  });

  it('after a resume, counts the breaker afresh and passes over a failed gate', () => {
    const events: CampaignEvent[] = [started(0), { campaign: 'c', type: 'campaign.halted', at: at(5), data: { by: 'gate', wave: 0 } }, { campaign: 'c', type: 'campaign.resumed', at: at(10), data: {} }];
    const state = new RolloutState(plan, events);
    expect(state.decide([run('a', 'merged', 2), run('b', 'failed', 3)])).toMatchObject({ kind: 'open', wave: 1 });
    state.openWave = 1;
    const old = [run('a', 'failed', 2), run('b', 'failed', 3), run('c', 'failed', 4), run('d', 'failed', 4)];
    expect(state.decide(old)).toMatchObject({ kind: 'none' });
  });
});
