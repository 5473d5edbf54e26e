import { afterEach, describe, expect, it } from 'vitest';
import type { ConfidenceHistory } from '../../confidence/history.js';
import { isEndRun, type EndRun } from '../../sdk/step.js';
import { makeTestContext } from '../testing/step-context.js';
import { confidenceGate } from './gate.js';
import { provideConfidenceHistory } from './history-registry.js';

const green = (passed: number) => ({ ran: true, total: passed, passed, failed: 0, skipped: 0, flaky: [], preExisting: [], failedByChange: [], durationMs: 10, format: 'tap' });
const bump = { package: '@acme/strings', from: '1.2.0', to: '1.3.0', kind: 'minor', files: ['package.json'] };
type Output = { action: string; probability: number; reasons: string[]; sources: Record<string, string[]>; model: { source: string }; signals: { id: string; available: boolean; value: number }[] };

async function gate(steps: Record<string, Record<string, unknown>>, params: Record<string, unknown> = {}, tier = 2) {
  const ctx = makeTestContext({ workspace: '/nonexistent', steps: Object.fromEntries(Object.entries(steps).map(([id, outputs]) => [id, { outputs }])), env: { FLOTILLA_NOW: '2025-06-30T12:00:00+00:00' } });
  ctx.target.spec.tier = tier;
  const result = await confidenceGate.run(confidenceGate.input.parse(params), ctx);
  const end = isEndRun(result) ? (result as EndRun<Output>) : undefined;
  return { ctx, end, output: (end ? end.output : result) as Output };
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe('confidence/gate', () => {
  it('lets a change with a full green suite go on, and records the decision with its sources', async () => {
    const { end, output, ctx } = await gate({ bump, test: green(20) });
    expect(end).toBeUndefined();
    expect(output).toMatchObject({ action: 'auto-merge', sources: { tests: ['test'], change: ['bump'] }, model: { source: 'default' } });
    expect(ctx.events).toEqual([{ name: 'confidence.decision', data: output }]);
    expect(confidenceGate.output.safeParse(output).success).toBe(true);
  });

  it('asks a person when the tests say little, naming the weak signals', async () => {
    const { end } = await gate({ bump, test: green(2) });
    expect(end?.outcome).toBe('needs-human');
    expect(end?.reasons).toEqual([
      'confidence 0.73 (neutral) is below the auto-merge threshold 0.90',
      'tests: 2 of 2 tests passed, but 3 or fewer tests are too few to count as evidence',
      'test-evidence: only 2 tests checked the change; 3 or fewer count for nothing',
    ]);
  });

  it('halts on a failed canary whatever the tests say, and below the needs-human threshold', async () => {
    const canary = { verdict: 'fail', inconclusive: false, score: 12, metrics: [], source: 'samples-file' };
    expect((await gate({ bump, test: green(40), canary })).end).toMatchObject({ outcome: 'failed', reasons: ['canary: the canary failed with score 12'] });
    const major = { ...bump, to: '2.0.0', kind: 'major' };
    const low = await gate({ bump: major }, {}, 0);
    expect(low.end?.outcome).toBe('failed');
    expect(low.end?.reasons[0]).toMatch(/^confidence 0\.\d\d \(low\) is below the needs-human threshold 0\.60$/);
  });

  it('applies the campaign thresholds, weights and release time', async () => {
    expect((await gate({ bump, test: green(2) }, { autoMerge: 0.7, needsHuman: 0.5 })).end).toBeUndefined();
    const { output } = await gate({ bump, test: green(20) }, { releasedAt: '2025-06-29T12:00:00Z', weights: { 'release-age': 3 } });
    expect(output.signals.find((signal) => signal.id === 'release-age')).toMatchObject({ available: true, value: -1 });
    expect(() => confidenceGate.input.parse({ autoMerge: 0.5, needsHuman: 0.8 })).toThrow(/needsHuman must not be above autoMerge/);
  });

  it('asks the provided history for the campaign record, target history, adoption and learned weights', async () => {
    const asked: string[] = [];
    const history: ConfidenceHistory = {
      campaignRecord: (campaign, runId) => (asked.push(`record ${campaign} ${runId}`), Promise.resolve({ successes: 40, failures: 0 })),
      targetHistory: (target) => (asked.push(`history ${target}`), Promise.resolve({ successes: 3, failures: 2 })),
      fleetAdoption: (_campaign, pkg, version) => (asked.push(`adoption ${pkg}@${version}`), Promise.resolve({ package: pkg, version, adopted: 4, total: 30 })),
      learned: (prior) => Promise.resolve({ weights: { ...prior, bias: prior.bias + 1 }, outcomes: 120, converged: true }),
    };
    restore = provideConfidenceHistory(history);
    const { output } = await gate({ bump, test: green(20) });
    expect(asked).toEqual(['record test-campaign test-run', 'history test-target', 'adoption @acme/strings@1.3.0']);
    const available = output.signals.filter((signal) => signal.available).map((signal) => signal.id);
    expect(available).toEqual(expect.arrayContaining(['campaign-record', 'target-history', 'fleet-adoption']));
    expect(output.model).toEqual({ source: 'learned', outcomes: 120 });
  });

  it('decides without a history that fails, and says so in the log', async () => {
    restore = provideConfidenceHistory({ campaignRecord: () => Promise.reject(new Error('database is locked')) });
    const { output, ctx } = await gate({ bump, test: green(20) });
    expect(output.action).toBe('auto-merge');
    expect(output.signals.find((signal) => signal.id === 'campaign-record')?.available).toBe(false);
    expect(ctx.logs).toContainEqual({ level: 'warn', message: 'the confidence history could not answer', fields: { what: 'campaign record', error: 'database is locked' } });
  });
});
