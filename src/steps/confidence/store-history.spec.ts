import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { tempDir } from '../../../test/helpers/repos.js';
import { DEFAULT_WEIGHTS } from '../../confidence/weights.js';
import type { RunState, StepState } from '../../model/run.js';
import { CampaignLedger, readLedger } from './ledger.js';
import { runVerdict, storeConfidenceHistory } from './store-history.js';
import { writeRuns, type RecordedRun } from './testing-ledger.js';

const PATH = [
  { id: 'bump', uses: 'npm/bump-dependency' },
  { id: 'test', uses: 'tests/run' },
  { id: 'gate', uses: 'confidence/gate' },
  { id: 'co', uses: 'git/checkout' },
];

async function store(): Promise<SqliteStore> {
  return new SqliteStore(join(await tempDir(), 'flotilla.db'));
}

describe('what a run says about its change', () => {
  const uses = new Map(PATH.map((step) => [step.id, step.uses]));
  const run = (steps: Record<string, Partial<StepState>>, extra: Partial<RunState> = {}): RunState => ({
    runId: 'c:t',
    campaign: 'c',
    target: 't',
    status: 'running',
    reasons: [],
    baseCommit: 'c0ffee',
    createdAt: '',
    updatedAt: '',
    version: 3,
    steps: Object.fromEntries(Object.entries(steps).map(([id, step]) => [id, { status: 'pending', attempt: 1, ...step }])),
    ...extra,
  });
  it.each([
    ['tests passed, not merged yet', run({ bump: { status: 'succeeded' }, test: { status: 'succeeded', output: { ran: true } }, gate: { status: 'running' } }), 1],
    ['tests still running', run({ bump: { status: 'succeeded' }, test: { status: 'running' } }), undefined],
    ['no test command', run({ test: { status: 'succeeded', output: { ran: false } } }), undefined],
    ['tests failed', run({ test: { status: 'failed' } }, { status: 'done', outcome: 'failed', failedStep: 'test' }), 0],
    ['halted by the gate after passing tests', run({ test: { status: 'succeeded', output: { ran: true } } }, { status: 'done', outcome: 'failed', failedStep: 'gate' }), 1],
    ['failed at the checkout', run({ co: { status: 'failed' } }, { status: 'done', outcome: 'failed', failedStep: 'co' }), undefined],
    ['merged by a person without tests', run({ test: { status: 'succeeded', output: { ran: false } } }, { status: 'done', outcome: 'merged' }), 1],
  ])('%s', (_name, state, verdict) => {
    expect(runVerdict(state, uses, new CampaignLedger('c'))).toBe(verdict);
  });
});

describe('the confidence history of a store', () => {
  it("counts a campaign's finished runs: merged or changed succeed, failures at tests fail, the rest say nothing; a recorded outcome wins", async () => {
    const db = await store();
    await writeRuns(db, 'bump', PATH, [
      { target: 'a', outcome: 'merged' },
      { target: 'b', outcome: 'changed' },
      { target: 'c', outcome: 'failed', failedStep: 'test' },
      { target: 'd', outcome: 'failed', failedStep: 'gate' },
      { target: 'e', outcome: 'failed', failedStep: 'co' },
      { target: 'f', outcome: 'needs-human' },
      { target: 'g', outcome: 'merged', recorded: 'reverted' },
      { target: 'h', outcome: 'skipped' },
    ]);
    const history = storeConfidenceHistory(db);
    expect(await history.campaignRecord?.('bump', 'bump:z')).toEqual({ successes: 2, failures: 2 });
    expect(await history.campaignRecord?.('bump', 'bump:a')).toEqual({ successes: 1, failures: 2 });
    expect(await history.campaignRecord?.('empty', 'empty:a')).toBeUndefined();
    // Read incrementally: a run finished later is seen by the same provider.
    await writeRuns(db, 'bump', PATH, [{ target: 'i', outcome: 'merged' }]);
    expect(await history.campaignRecord?.('bump', 'bump:z')).toEqual({ successes: 3, failures: 2 });
    await db.close();
  });

  it("reads a target's history from other campaigns, and adoption from the campaign's target facts", async () => {
    const db = await store();
    await writeRuns(db, 'old-1', PATH, [{ target: 'svc', outcome: 'merged', recorded: 'healthy' }, { target: 'other', outcome: 'failed', failedStep: 'test' }]);
    await writeRuns(db, 'old-2', PATH, [{ target: 'svc', outcome: 'merged', recorded: 'broke' }]);
    const deps = (range: string): RecordedRun => ({ target: `t-${range}`, outcome: 'skipped', dependencies: { debug: range } });
    await writeRuns(db, 'now', PATH, [deps('^4.4.1'), deps('4.4.2'), deps('~4.3.0'), deps('latest'), { target: 'svc', outcome: 'merged' }]);
    const history = storeConfidenceHistory(db);
    expect(await history.targetHistory?.('svc', 'now')).toEqual({ successes: 1, failures: 1 });
    expect(await history.targetHistory?.('nobody', 'now')).toBeUndefined();
    expect(await history.fleetAdoption?.('now', 'debug', '4.4.1')).toEqual({ package: 'debug', version: '4.4.1', adopted: 2, total: 4 });
    expect(await history.fleetAdoption?.('now', 'ms', '2.0.0')).toBeUndefined();
    await db.close();
  });

  it('learns weights only from decisions with recorded outcomes, and only with 50 of them', async () => {
    const db = await store();
    const green = (passed: number) => ({ ran: true, total: passed, passed, failed: 0, skipped: 0, flaky: [], preExisting: [], failedByChange: [] });
    const runs: RecordedRun[] = Array.from({ length: 60 }, (_, index) => ({
      target: `t${index}`,
      outcome: 'merged',
      evidence: { now: '2025-06-30T09:00:00Z', tier: 2, tests: green(index % 2 === 0 ? 20 : 2) },
      // Targets with two tests broke one time in two; the full suites never.
      ...(index < 50 ? { recorded: index % 2 === 0 || index % 4 === 1 ? ('healthy' as const) : ('broke' as const) } : {}),
    }));
    await writeRuns(db, 'learn', PATH, runs.slice(0, 40));
    expect(await storeConfidenceHistory(db).learned?.(DEFAULT_WEIGHTS)).toBeUndefined();
    await writeRuns(db, 'learn', PATH, runs.slice(40));
    const learned = await storeConfidenceHistory(db).learned?.(DEFAULT_WEIGHTS);
    expect(learned?.outcomes).toBe(50);
    expect(learned?.weights.signals.canary).toBe(DEFAULT_WEIGHTS.signals.canary);
    const ledger = await readLedger(db, 'learn');
    expect(ledger.decisions.size).toBe(60);
    expect(ledger.outcomes.size).toBe(50);
    await db.close();
  });
});
