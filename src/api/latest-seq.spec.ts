import { describe, expect, it } from 'vitest';
import type { RunState } from '../model/run.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { latestSeq } from './latest-seq.js';

describe('latestSeq', () => {
  it.each([0, 1, 2, 3, 1023, 1024, 1025, 5000])('finds the newest of %i events with a few queries', async (count) => {
    const store = new SqliteStore(':memory:');
    const at = '2026-01-01T00:00:00.000Z';
    const state: RunState = { runId: 'c:t', campaign: 'c', target: 't', status: 'running', reasons: [], steps: {}, baseCommit: 'abc', createdAt: at, updatedAt: at, version: 0 };
    for (let index = 0; index < count; index++) {
      state.version++;
      await store.appendEvent({ type: 'step.reported', runId: 'c:t', at, data: { step: 's', name: 'n', data: {} } }, state);
    }
    let queries = 0;
    const listEvents = store.listEvents.bind(store);
    store.listEvents = (query) => {
      queries++;
      return listEvents(query);
    };
    expect(await latestSeq(store)).toBe(count);
    expect(queries).toBeLessThan(30);
    await store.close();
  });
});
