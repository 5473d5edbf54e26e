import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { RunEvent } from '../model/events.js';
import type { Target } from '../model/fleet.js';
import type { RunState } from '../model/run.js';
import { defineStep, type AnyStep } from '../sdk/step.js';
import { approvalStep } from '../steps/control/approval.js';
import { waitStep } from '../steps/control/wait.js';
import { ciAwait } from '../steps/ci/await.js';
import { storeFactories, type StoreFactory } from '../store/postgres/testing.js';
import type { Store } from '../store/store.js';
import { tempDir } from '../../test/helpers/repos.js';
import { CampaignRunner, type RunnerOptions } from './campaign-runner.js';
import { pathOf, type EngineCampaign, type EngineStep } from './engine-campaign.js';
import { reduce } from './reducer.js';

const sleep = defineStep({
  id: 'test/sleep',
  description: 'Sleeps (tests).',
  kind: 'control',
  workspace: false,
  input: z.strictObject({ ms: z.number().default(0), fail: z.boolean().default(false) }),
  output: z.strictObject({ slept: z.number(), commit: z.string(), changeId: z.string(), branch: z.string() }),
  examples: [],
  async run(input, ctx) {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    if (input.fail) throw new Error(`${ctx.stepId} broke`);
    if (ctx.stepId === 'merge') ctx.emit('change.merged', { commit: 'c0ffee1' });
    return { slept: input.ms, commit: 'c0ffee1', changeId: 'flotilla/x', branch: 'flotilla/x' };
  },
});

function step(id: string, definition: AnyStep, inputs: Record<string, unknown> = {}, extra: Partial<EngineStep> = {}): EngineStep {
  return { id, uses: definition.id, definition, with: inputs, timeoutMs: 30_000, attempts: 1, backoffMs: 10, ...extra };
}

function campaignOf(name: string, steps: EngineStep[], extra: Partial<EngineCampaign> = {}): EngineCampaign {
  return { name, hash: name, file: `${name}.yaml`, spec: {}, change: { title: name, body: '' }, steps, ...extra };
}

function targets(count: number): Target[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `t${String(index).padStart(3, '0')}`;
    return {
      spec: { name, repo: name, tier: 2, tags: [] },
      facts: { name, repo: name, owner: 'team-a', tier: 2, tags: [], defaultBranch: 'main', commit: 'a'.repeat(40), languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: true, testCommand: '' },
    };
  });
}

/** Closes and drops the stores the current test opened. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(factory: StoreFactory): Promise<{ dir: string; store: Store }> {
  const dir = await tempDir();
  const opened = await factory.open(dir);
  cleanups.push(() => opened.cleanup());
  return { dir, store: opened.store };
}

function runner(store: Store, dir: string, campaign: EngineCampaign, extra: Partial<RunnerOptions> = {}): CampaignRunner {
  return new CampaignRunner(campaign, { store, stateDir: dir, concurrency: 4, scmFor: () => ({}) as ScmAdapter, interpolate: (value) => value, env: {}, pollMs: 20, ...extra });
}

/** Replaying a run's stored events gives its stored state: nothing is inconsistent. */
async function expectConsistent(store: Store, campaign: EngineCampaign, run: RunState): Promise<void> {
  let state: RunState | undefined;
  for (const event of await store.listEvents({ runId: run.runId })) state = reduce(pathOf(campaign.steps), state, event).state;
  expect(state).toEqual(run);
}

describe.each(storeFactories())('waiting for events ($name)', (factory) => {
  it('parks on ci/await and approval with no process, survives restarts, and completes when the events arrive', async () => {
    const { dir, store } = await setup(factory);
    const campaign = campaignOf('waits', [step('open', sleep), step('ci', ciAwait), step('approve', approvalStep), step('merge', sleep)]);
    const [target] = targets(1);
    if (!target) throw new Error('no target');

    const first = await runner(store, dir, campaign).run([target]);
    expect(first[0]).toMatchObject({ status: 'waiting', steps: { ci: { status: 'waiting', wait: { types: ['ci.completed'], match: { commit: 'c0ffee1' } } } } });

    // A new process (runner) with nothing queued returns at once: waiting costs nothing.
    const idle = await runner(store, dir, campaign).run([target]);
    expect(idle[0]?.status).toBe('waiting');

    const runId = first[0]?.runId ?? '';
    await store.enqueueSignal({ campaign: 'waits', runId, name: 'ci.completed', data: { commit: 'other', conclusion: 'success' }, cause: 'test', at: new Date().toISOString() });
    await store.enqueueSignal({ campaign: 'waits', runId, name: 'ci.completed', data: { commit: 'c0ffee1', conclusion: 'success' }, cause: 'webhook', at: new Date().toISOString() });
    const second = await runner(store, dir, campaign).run([target]);
    expect(second[0]).toMatchObject({ status: 'waiting', steps: { ci: { status: 'succeeded' }, approve: { status: 'waiting', wait: { reason: 'approval from team-a' } } } });

    await store.enqueueSignal({ campaign: 'waits', runId, name: 'approval.granted', data: { by: 'alice' }, cause: 'cli', at: new Date().toISOString() });
    const third = await runner(store, dir, campaign).run([target]);
    expect(third[0]).toMatchObject({ status: 'done', outcome: 'changed' });
    expect(await store.pendingSignals('waits', 10)).toEqual([]);
    await expectConsistent(store, campaign, third[0] as RunState);
  });

  it.each([
    ['a rejection fails the run with the reason', 'approval.rejected', { reason: 'not this week' }, 'failed', 'approve failed: approval.rejected: not this week'],
    ['red CI fails the run', 'ci.completed', { commit: 'c0ffee1', conclusion: 'failure' }, 'failed', 'ci failed: ci.completed with conclusion "failure"'],
  ])('%s', async (_name, signal, data, outcome, reason) => {
    const { dir, store } = await setup(factory);
    const first = signal === 'ci.completed' ? step('ci', ciAwait) : step('approve', approvalStep);
    const campaign = campaignOf('reject', [step('open', sleep), first]);
    const [run] = await runner(store, dir, campaign).run(targets(1));
    await store.enqueueSignal({ campaign: 'reject', runId: run?.runId ?? '', name: signal, data, cause: 'cli', at: new Date().toISOString() });
    const [done] = await runner(store, dir, campaign).run(targets(1));
    expect(done).toMatchObject({ outcome, reasons: [reason] });
  });

  it('applies on-timeout when a deadline passes, and a wait step goes on after its time', async () => {
    const { dir, store } = await setup(factory);
    const campaign = campaignOf('deadline', [step('approve', approvalStep, { within: '200ms' }, { onTimeout: 'needs-human' }), step('after', sleep)]);
    const started = Date.now();
    const [run] = await runner(store, dir, campaign, { mode: 'until-done' }).run(targets(1));
    expect(run).toMatchObject({ outcome: 'needs-human', reasons: [expect.stringMatching(/^approve: approval from team-a: no answer by /) as string] });
    expect(Date.now() - started).toBeLessThan(5000);

    const timer = campaignOf('timer', [step('bake', waitStep, { for: '300ms' }), step('after', sleep)]);
    const [baked] = await runner(store, dir, timer, { mode: 'until-done' }).run(targets(1));
    expect(baked).toMatchObject({ outcome: 'changed', steps: { bake: { status: 'succeeded', output: { timedOut: true } }, after: { status: 'succeeded' } } });
  });
});

describe.each(storeFactories())('paths as graphs ($name)', (factory) => {
  it('runs independent steps in parallel and joins them', async () => {
    const { dir, store } = await setup(factory);
    const campaign = campaignOf('dag', [step('a', sleep, { ms: 300 }, { needs: [] }), step('b', sleep, { ms: 300 }, { needs: [] }), step('join', sleep, {}, { needs: ['a', 'b'] })]);
    const [run] = await runner(store, dir, campaign).run(targets(1));
    expect(run?.outcome).toBe('changed');
    const events = await store.listEvents({ runId: run?.runId ?? '' });
    const at = (type: string, stepId: string): number => Date.parse(events.find((event) => event.type === type && 'step' in event.data && event.data.step === stepId)?.at ?? '');
    expect(at('step.started', 'b')).toBeLessThan(at('step.succeeded', 'a'));
    expect(at('step.started', 'a')).toBeLessThan(at('step.succeeded', 'b'));
    expect(at('step.started', 'join')).toBeGreaterThanOrEqual(Math.max(at('step.succeeded', 'a'), at('step.succeeded', 'b')));
  });

  it.each([
    ['continue', 'continue', 'changed', ['after']],
    ['needs-human', 'needs-human', 'needs-human', []],
    ['a clean-up step', 'cleanup', 'failed', ['cleanup']],
  ])('on-failure: %s', async (_name, policy, outcome, ran) => {
    const { dir, store } = await setup(factory);
    const onFailure = policy === 'cleanup' ? { step: 'cleanup' } : (policy as 'continue' | 'needs-human');
    const campaign = campaignOf('failure', [step('broken', sleep, { fail: true }, { onFailure }), step('after', sleep), step('cleanup', sleep, {}, { handler: true })]);
    const [run] = await runner(store, dir, campaign).run(targets(1));
    expect(run?.outcome).toBe(outcome);
    const succeeded = Object.entries(run?.steps ?? {}).filter(([, entry]) => entry.status === 'succeeded').map(([id]) => id);
    expect(succeeded).toEqual(ran);
  });

  it('starts an on: step when its event arrives', async () => {
    const { dir, store } = await setup(factory);
    const notify = step('notify', sleep, {}, { on: { type: 'change.merged', where: (data) => data.commit === 'c0ffee1' } });
    const campaign = campaignOf('trigger', [step('merge', sleep), notify]);
    const [run] = await runner(store, dir, campaign).run(targets(1));
    expect(run?.steps.notify?.status).toBe('succeeded');
  });
});

describe.each(storeFactories())('campaign control ($name)', (factory) => {
  it('pauses, resumes and cancels a 100-target campaign with every run consistent', async () => {
    const { dir, store } = await setup(factory);
    const campaign = campaignOf('control', [step('a', sleep, { ms: 5 }), step('b', sleep, { ms: 5 }), step('c', sleep, { ms: 5 })]);
    await store.saveCampaign({ name: 'control', hash: 'h', spec: {}, file: 'f', createdAt: '', updatedAt: '' });
    const events: RunEvent[] = [];
    let paused = false;
    const first = runner(store, dir, campaign, {
      onEvent: (event) => {
        events.push(event);
        if (!paused && events.filter((item) => item.type === 'run.completed').length === 20) {
          paused = true;
          void store.setCampaignStatus('control', 'paused', new Date().toISOString());
        }
      },
    }).run(targets(100));
    const afterPause = await first;
    const doneAtPause = afterPause.filter((run) => run.status === 'done').length;
    expect(doneAtPause).toBeGreaterThanOrEqual(20);
    expect(doneAtPause).toBeLessThan(100);
    // Paused: a new process starts nothing.
    const still = await runner(store, dir, campaign).run(targets(100));
    expect(still.filter((run) => run.status === 'done')).toHaveLength(doneAtPause);

    await store.setCampaignStatus('control', 'active', new Date().toISOString());
    let cancelled = false;
    const resumed = await runner(store, dir, campaign, {
      onEvent: (event) => {
        if (!cancelled && event.type === 'run.completed') {
          cancelled = true;
          void store.setCampaignStatus('control', 'cancelled', new Date().toISOString());
        }
      },
    }).run(targets(100));
    const outcomes = new Set(resumed.map((run) => run.outcome));
    expect([...outcomes].sort()).toEqual(['cancelled', 'changed']);
    expect(resumed.every((run) => run.status === 'done')).toBe(true);
    for (const run of resumed) await expectConsistent(store, campaign, run);
  });

  it('keeps at most inFlight runs in progress', async () => {
    const { dir, store } = await setup(factory);
    const campaign = campaignOf('limited', [step('a', sleep, { ms: 20 }), step('b', sleep, { ms: 20 })], { limits: { inFlight: 2 } });
    const live = new Set<string>();
    let most = 0;
    await runner(store, dir, campaign, {
      onEvent: (event, state) => {
        if (event.type === 'step.started') live.add(event.runId);
        if (state.status === 'done') live.delete(event.runId);
        most = Math.max(most, live.size);
      },
    }).run(targets(8));
    expect(most).toBe(2);
  });
});
