import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '../model/events.js';
import type { RunState } from '../model/run.js';
import type { Store } from './store.js';

/**
 * What every `Store` must do, as vitest tests: run it against each implementation (SQLite, PostgreSQL)
 * with a factory that gives a fresh, empty store per test. The engine relies on each of these behaviours:
 * the optimistic version check keeps two writers from forking a run, the inbox mark is atomic with the
 * event it caused, locks expire and can be taken from a dead holder.
 */
export function defineStoreContract(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>): void {
  describe(`Store contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });
    const fresh = async (): Promise<Store> => {
      const opened = await open();
      cleanups.push(() => opened.cleanup());
      return opened.store;
    };

    it('saves, updates and lists campaigns, and sets their status', async () => {
      const store = await fresh();
      expect(await store.getCampaign('a')).toBeUndefined();
      await store.saveCampaign({ name: 'b', hash: 'h1', spec: { steps: [1] }, file: '/b.yaml', createdAt: '2025-01-02T00:00:00.000Z', updatedAt: '2025-01-02T00:00:00.000Z' });
      await store.saveCampaign({ name: 'a', hash: 'h1', spec: {}, file: '/a.yaml', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' });
      await store.saveCampaign({ name: 'a', hash: 'h2', spec: { z: 1, a: 2 }, file: '/a2.yaml', createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2025-01-03T00:00:00.000Z' });
      expect(await store.getCampaign('a')).toEqual({ name: 'a', status: 'active', hash: 'h2', spec: { z: 1, a: 2 }, file: '/a2.yaml', createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-03T00:00:00.000Z' });
      expect((await store.listCampaigns()).map((record) => record.name)).toEqual(['a', 'b']);
      await store.setCampaignStatus('a', 'paused', '2025-01-04T00:00:00.000Z');
      expect(await store.getCampaign('a')).toMatchObject({ status: 'paused', updatedAt: '2025-01-04T00:00:00.000Z' });
    });

    it('appends events with the run snapshot, in order, and reads them back exactly', async () => {
      const store = await fresh();
      const first = await store.appendEvent(created('c', 'r2', 't2'), stateOf('c', 'r2', 't2', 1));
      const second = await store.appendEvent(created('c', 'r1', 't1'), stateOf('c', 'r1', 't1', 1));
      const data = { step: 'bump', attempt: 1, durationMs: 5, output: { to: '2.0', from: '1.0', nested: { b: 1, a: [1, 'x'] } } };
      const third = await store.appendEvent(event('r1', { type: 'step.succeeded', data }), stateOf('c', 'r1', 't1', 2, 'done'));
      expect(second).toBeGreaterThan(first);
      expect(third).toBeGreaterThan(second);
      expect(await store.getRun('r1')).toEqual(stateOf('c', 'r1', 't1', 2, 'done'));
      expect(await store.getRun('nope')).toBeUndefined();
      expect((await store.listRuns('c')).map((run) => run.target)).toEqual(['t1', 't2']);
      const events = await store.listEvents({ runId: 'r1' });
      expect(events.map((item) => item.type)).toEqual(['run.created', 'step.succeeded']);
      // Key order survives the round trip: `flotilla events` prints data as it was written.
      expect(JSON.stringify(events[1]?.data)).toBe(JSON.stringify(data));
      expect(events[1]).toMatchObject({ seq: third, runId: 'r1', at: '2025-01-01T00:00:02.000Z' });
      expect((await store.listEvents({ campaign: 'c', afterSeq: first })).map((item) => item.seq)).toEqual([second, third]);
      expect((await store.listEvents({ campaign: 'c', limit: 2 })).map((item) => item.seq)).toEqual([first, second]);
      expect(await store.listEvents({ campaign: 'other' })).toEqual([]);
    });

    it('refuses a stale writer and a second run.created with a conflict, writing nothing', async () => {
      const store = await fresh();
      await store.appendEvent(created('c', 'r1', 't1'), stateOf('c', 'r1', 't1', 1));
      await expect(later(() => store.appendEvent(created('c', 'r1', 't1'), stateOf('c', 'r1', 't1', 1)))).rejects.toMatchObject({ code: 'conflict' });
      await store.appendEvent(event('r1', started), stateOf('c', 'r1', 't1', 2));
      await expect(later(() => store.appendEvent(event('r1', started), stateOf('c', 'r1', 't1', 2)))).rejects.toMatchObject({ code: 'conflict' });
      await expect(later(() => store.appendEvent(event('r1', started), stateOf('c', 'r1', 't1', 4)))).rejects.toMatchObject({ code: 'conflict' });
      expect(await store.listEvents({ runId: 'r1' })).toHaveLength(2);
      expect((await store.getRun('r1'))?.version).toBe(2);
    });

    it('lets exactly one of two concurrent writers of the same version win', async () => {
      const store = await fresh();
      await store.appendEvent(created('c', 'r1', 't1'), stateOf('c', 'r1', 't1', 1));
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => later(() => store.appendEvent(event('r1', started), stateOf('c', 'r1', 't1', 2)))));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'conflict' });
      expect(await store.listEvents({ runId: 'r1' })).toHaveLength(2);
    });

    it('queues signals and marks one consumed in the same transaction as its event, never on a conflict', async () => {
      const store = await fresh();
      await store.appendEvent(created('c', 'r1', 't1'), stateOf('c', 'r1', 't1', 1));
      const at = '2025-01-01T00:00:00.000Z';
      const one = await store.enqueueSignal({ campaign: 'c', runId: 'r1', name: 'ci.completed', data: { commit: 'abc' }, cause: 'webhook', at });
      const two = await store.enqueueSignal({ campaign: 'c', runId: 'r1', name: 'approval.granted', data: {}, cause: 'cli', at });
      const three = await store.enqueueSignal({ campaign: 'c', runId: 'r9', name: 'x', data: {}, cause: 'cli', at });
      expect(await store.pendingSignals('c', 2)).toEqual([
        { id: one, campaign: 'c', runId: 'r1', name: 'ci.completed', data: { commit: 'abc' }, cause: 'webhook', at },
        { id: two, campaign: 'c', runId: 'r1', name: 'approval.granted', data: {}, cause: 'cli', at },
      ]);
      const signal: RunEventBody = { type: 'signal.received', data: { name: 'ci.completed', data: { commit: 'abc' }, cause: 'webhook' } };
      await expect(later(() => store.appendEvent(event('r1', signal), stateOf('c', 'r1', 't1', 3), one))).rejects.toMatchObject({ code: 'conflict' });
      expect((await store.pendingSignals('c', 10)).map((item) => item.id)).toEqual([one, two, three]);
      await store.appendEvent(event('r1', signal), stateOf('c', 'r1', 't1', 2), one);
      await store.dropSignal(three, at);
      expect((await store.pendingSignals('c', 10)).map((item) => item.id)).toEqual([two]);
    });

    it('records webhook deliveries once', async () => {
      const store = await fresh();
      expect(await store.deliverySeen('d1')).toBe(false);
      expect(await store.recordDelivery('d1', '2025-01-01T00:00:00.000Z')).toBe(true);
      expect(await store.recordDelivery('d1', '2025-01-01T00:00:01.000Z')).toBe(false);
      expect(await store.deliverySeen('d1')).toBe(true);
    });

    it('keeps checkpoints per run and key, overwriting on put', async () => {
      const store = await fresh();
      expect(await store.getCheckpoint('r1', 'open/pr')).toBeUndefined();
      await store.putCheckpoint('r1', 'open/pr', { id: 7 }, 'a');
      await store.putCheckpoint('r1', 'open/pr', { id: 8 }, 'b');
      await store.putCheckpoint('r1', 'null', undefined, 'c');
      expect(await store.getCheckpoint('r1', 'open/pr')).toEqual({ value: { id: 8 } });
      expect(await store.getCheckpoint('r1', 'null')).toEqual({ value: null });
      expect(await store.getCheckpoint('r2', 'open/pr')).toBeUndefined();
    });

    it('holds a lock until it expires, renews it for its owner, and lets a dead holder be robbed', async () => {
      const store = await fresh();
      expect(await store.acquireLock('campaign:x', 'a', 1000, 100)).toEqual({ acquired: true });
      expect(await store.acquireLock('campaign:x', 'b', 1050, 100)).toEqual({ acquired: false, holder: 'a' });
      expect(await store.acquireLock('campaign:x', 'a', 1050, 100)).toEqual({ acquired: true });
      expect(await store.acquireLock('campaign:x', 'b', 1120, 100)).toEqual({ acquired: false, holder: 'a' });
      expect(await store.acquireLock('campaign:x', 'b', 1151, 100)).toEqual({ acquired: true });
      expect(await store.acquireLock('campaign:x', 'c', 1160, 100, (holder) => holder === 'b')).toEqual({ acquired: true });
      await store.releaseLock('campaign:x', 'b');
      expect(await store.acquireLock('campaign:x', 'd', 1170, 100)).toEqual({ acquired: false, holder: 'c' });
      await store.releaseLock('campaign:x', 'c');
      expect(await store.acquireLock('campaign:x', 'd', 1170, 100)).toEqual({ acquired: true });
      const raced = await Promise.all(['e', 'f', 'g'].map((owner) => store.acquireLock('campaign:y', owner, 2000, 100)));
      expect(raced.filter((result) => result.acquired)).toHaveLength(1);
    });

    it('keeps step logs in order, by run and step', async () => {
      const store = await fresh();
      await store.appendLogs([line('r1', 'test', 'one'), line('r1', 'bump', 'two'), line('r1', 'test', 'three')]);
      await store.appendLogs([]);
      await store.appendLogs([line('r2', 'test', 'other'), line('r1', 'test', 'four')]);
      expect((await store.readLogs('r1', 'test')).map((entry) => entry.text)).toEqual(['one', 'three', 'four']);
      expect((await store.readLogs('r1')).map((entry) => entry.text)).toEqual(['one', 'two', 'three', 'four']);
      expect(await store.readLogs('r1', 'bump')).toEqual([{ runId: 'r1', step: 'bump', attempt: 1, at: '2025-01-01T00:00:00.000Z', text: 'two' }]);
    });

    it('lists the targets recorded at run creation and caches facts by repository and commit', async () => {
      const store = await fresh();
      const spec = { name: 't1', repo: '/repos/t1', tier: 2, tags: [] };
      await store.appendEvent(
        { type: 'run.created', runId: 'r1', at: '2025-01-01T00:00:00.000Z', data: { target: 't1', commit: 'abc', spec, facts: { name: 't1' } as never } },
        stateOf('c', 'r1', 't1', 1),
      );
      expect(await store.listRunTargets('c')).toEqual([{ runId: 'r1', spec, facts: { name: 't1' } }]);
      const facts = { languages: ['js'] } as never;
      await store.putFacts([{ repo: '/r', commit: 'a', facts }, { repo: '/r', commit: 'b', facts }]);
      await store.putFacts([{ repo: '/r', commit: 'a', facts: { languages: ['go'] } as never }]);
      const listed = (await store.listFacts()).sort((x, y) => x.commit.localeCompare(y.commit));
      expect(listed).toEqual([{ repo: '/r', commit: 'a', facts: { languages: ['go'] } }, { repo: '/r', commit: 'b', facts }]);
    });

    it('appends and lists campaign events', async () => {
      const store = await fresh();
      const one = await store.appendCampaignEvent({ campaign: 'c', type: 'campaign.wave-started', at: 'a', data: { wave: 1 } });
      const two = await store.appendCampaignEvent({ campaign: 'c', type: 'campaign.halted', at: 'b', data: { by: 'gate' } });
      await store.appendCampaignEvent({ campaign: 'd', type: 'campaign.paused', at: 'c', data: {} });
      expect(await store.listCampaignEvents('c')).toEqual([
        { seq: one, campaign: 'c', type: 'campaign.wave-started', at: 'a', data: { wave: 1 } },
        { seq: two, campaign: 'c', type: 'campaign.halted', at: 'b', data: { by: 'gate' } },
      ]);
    });
  });
}

/** Calls `fn` so that a synchronous throw becomes a rejection (the SQLite store throws before its promise). */
function later<T>(fn: () => Promise<T>): Promise<T> {
  return Promise.resolve().then(fn);
}

const started: RunEventBody = { type: 'step.started', data: { step: 'bump', attempt: 1 } };

function created(campaign: string, runId: string, target: string): RunEvent {
  return { type: 'run.created', runId, at: '2025-01-01T00:00:00.000Z', data: { target, commit: `${campaign}-commit` } };
}

function event(runId: string, body: RunEventBody): RunEvent {
  return { ...body, runId, at: '2025-01-01T00:00:02.000Z' };
}

function stateOf(campaign: string, runId: string, target: string, version: number, status: RunState['status'] = 'running'): RunState {
  return { runId, campaign, target, status, reasons: [], steps: {}, baseCommit: 'abc', createdAt: 'x', updatedAt: `v${version}`, version, ...(status === 'done' ? { outcome: 'merged' as const } : {}) };
}

function line(runId: string, step: string, text: string): { runId: string; step: string; attempt: number; at: string; text: string } {
  return { runId, step, attempt: 1, at: '2025-01-01T00:00:00.000Z', text };
}
