import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brierScore } from '../../src/confidence/calibration.js';
import { SIGNAL_IDS } from '../../src/confidence/signal.js';
import { decisionFor, SYNTHETIC_SEED, SYNTHETIC_TRUTH, syntheticHistory } from '../../src/confidence/testing/synthetic-history.js';
import { DEFAULT_WEIGHTS } from '../../src/confidence/weights.js';
import { writeRuns, type RecordedRun } from '../../src/steps/confidence/testing-ledger.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { flotilla } from '../helpers/cli.js';
import { tempDir } from '../helpers/repos.js';

const PATH = [
  { id: 'test', uses: 'tests/run' },
  { id: 'gate', uses: 'confidence/gate' },
];

interface Calibration {
  outcomes: number;
  brier: number;
  calibrationError: number;
  reliability: { from: number; count: number; predicted: number | null; observed: number | null }[];
  learned: { weights: typeof DEFAULT_WEIGHTS; brier: number; converged: boolean } | null;
}

describe('calibration, reports and outcomes through the CLI', () => {
  let dir: string;
  const cli = (...args: string[]) => flotilla([...args, '--state', join(dir, 'state')]);
  const history = syntheticHistory(SYNTHETIC_TRUTH, 2000, SYNTHETIC_SEED);
  const decisions = history.map((sample) => decisionFor(sample.features, DEFAULT_WEIGHTS, '2025-06-30T09:00:00Z'));

  beforeAll(async () => {
    dir = await tempDir();
    const store = new SqliteStore(join(dir, 'state', 'flotilla.db'));
    // 2,000 landed changes whose outcomes were drawn from a known model; the gate decided them with the defaults.
    const runs: RecordedRun[] = history.map((sample, index) => ({ target: `t${index}`, outcome: 'merged', decision: decisions[index], recorded: sample.safe === 1 ? 'healthy' : index % 2 === 0 ? 'reverted' : 'broke' }));
    await writeRuns(store, 'synthetic', PATH, runs);
    // A campaign that rolled out in two waves and was halted in the second.
    await writeRuns(store, 'waves', PATH, [
      { target: 'a', outcome: 'merged' },
      { target: 'b', outcome: 'failed', failedStep: 'test', reasons: ['test failed: 1 test fails because of the change (they pass on the baseline): x'] },
      { target: 'c', outcome: 'needs-human', reasons: ['confidence 0.81 (neutral) is below the auto-merge threshold 0.90', 'tier: the target is tier 0'] },
      { target: 'd', outcome: 'cancelled' },
    ]);
    await store.appendCampaignEvent({ campaign: 'waves', type: 'campaign.wave-started', at: '2025-06-30T09:00:00.000Z', data: { wave: 0, targets: 2, reason: 'first wave' } });
    await store.appendCampaignEvent({ campaign: 'waves', type: 'campaign.wave-started', at: '2025-06-30T09:00:05.000Z', data: { wave: 1, targets: 2, reason: 'wave 1 succeeded 1 of 1' } });
    await store.appendCampaignEvent({ campaign: 'waves', type: 'campaign.halted', at: '2025-06-30T09:00:06.000Z', data: { by: 'circuit-breaker', wave: 1, reason: '1 of 2 failed' } });
    await writeRuns(store, 'waves', PATH, [{ target: 'e', outcome: 'merged', unfinished: true }]);
    await store.close();
  }, 120_000);

  it('prints the Brier score and reliability table of 2,000 decisions, and learned weights close to the true ones', async () => {
    const json = await cli('calibration', '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as Calibration;
    expect(report.outcomes).toBe(2000);
    const expected = brierScore(decisions.map((decision, index) => ({ probability: decision.probability, safe: history[index]?.safe ?? 0 })));
    expect(report.brier).toBeCloseTo(expected, 3);
    expect(report.reliability.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2000);
    const learned = report.learned;
    if (!learned) throw new Error('expected learned weights from 2,000 outcomes');
    expect(learned.converged).toBe(true);
    for (const id of SIGNAL_IDS) expect(Math.abs(learned.weights.signals[id] - SYNTHETIC_TRUTH.signals[id]), id).toBeLessThan(0.4);
    expect(learned.brier).toBeLessThan(report.brier);

    const text = await cli('calibration', '--campaign', 'synthetic');
    expect(text.stdout).toContain('Calibration over 2000 decisions with a recorded outcome');
    expect(text.stdout).toMatch(/0\.9–1\.0\s+\d+\s+0\.9\d\s+0\.\d\d/);
    expect(text.stdout).toContain('Learned weights (L2-regularised logistic regression around the defaults');
  });

  it('reports waves with their timing and the halt, failures by step and the reasons a person was needed', async () => {
    const report = JSON.parse((await cli('report', 'waves', '--json')).stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      targets: 5,
      counts: { merged: 1, failed: 1, 'needs-human': 1, cancelled: 1, unfinished: 1 },
      time: { finishedAt: null, durationMs: null, unfinished: 1 },
      mergedWithoutHuman: { count: 1, share: 0.2 },
      needsHuman: { count: 1, reasons: [{ reason: 'confidence below the auto-merge threshold', count: 1 }, { reason: 'tier', count: 1 }] },
      failed: { byStep: [{ step: 'test', count: 1 }] },
      waves: [
        { wave: 0, targets: 2, durationMs: 5000 },
        { wave: 1, targets: 2, reason: 'wave 1 succeeded 1 of 1', durationMs: null },
      ],
      halts: [{ by: 'circuit-breaker', wave: 1, reason: '1 of 2 failed' }],
      confidence: null,
    });
    const text = (await cli('report', 'waves')).stdout;
    expect(text).toContain('wave 1  2 targets  started 2025-06-30T09:00:00.000Z  lasted 5.0s  first wave');
    expect(text).toContain('Halted at 2025-06-30T09:00:06.000Z by circuit-breaker in wave 2: 1 of 2 failed');
    expect(text).toContain('Other outcomes: cancelled 1, unfinished 1.');
    expect(text).toContain('Time: not done yet — 1 of 5 targets unfinished');
  });

  it('refuses outcomes it cannot take, naming what is wrong', async () => {
    const unknown = await cli('outcome', 'waves', 'zz', 'healthy');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('campaign waves has no run for target zz');
    const early = await cli('outcome', 'waves', 'e', 'healthy');
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('the run of e has not finished (it is running); record its outcome once it has landed');
    const noCampaign = await cli('report', 'nope');
    expect(noCampaign.code).toBe(2);
    expect(noCampaign.stderr).toContain('no campaign named nope');
  });

  it('applies an outcome at once, or leaves it queued for the process that holds the campaign', async () => {
    const store = new SqliteStore(join(dir, 'state', 'flotilla.db'));
    try {
      expect(JSON.parse((await cli('outcome', 'waves', 'a', 'healthy', '--json')).stdout)).toMatchObject({ applied: true });
      expect(await store.pendingSignals('waves', 10)).toEqual([]);
      expect((await store.acquireLock('campaign:waves', 'another-host:1', Date.now(), 60_000)).acquired).toBe(true);
      const queued = await cli('outcome', 'waves', 'a', 'broke', '--reason', 'paged at night');
      expect(queued.code).toBe(0);
      expect(queued.stdout).toContain('queued: the process running the campaign (another-host:1) holds it');
      expect(await store.pendingSignals('waves', 10)).toMatchObject([{ name: 'outcome.recorded', data: { outcome: 'broke', reason: 'paged at night' } }]);
      const events = await store.listEvents({ runId: 'waves:a' });
      expect(events.filter((event) => event.type === 'signal.received')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
