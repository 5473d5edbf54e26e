import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalGitScm } from '../../src/adapters/scm/local-git.js';
import { CampaignRunner } from '../../src/engine/campaign-runner.js';
import { withImpliedCheckout, type EngineStep } from '../../src/engine/engine-campaign.js';
import { git } from '../../src/git/git.js';
import type { RunState } from '../../src/model/run.js';
import type { AnyStep } from '../../src/sdk/step.js';
import { changeMerge } from '../../src/steps/change/merge.js';
import { changeOpen } from '../../src/steps/change/open.js';
import { confidenceGate } from '../../src/steps/confidence/gate.js';
import { provideConfidenceHistory } from '../../src/steps/confidence/history-registry.js';
import { readLedger } from '../../src/steps/confidence/ledger.js';
import { storeConfidenceHistory } from '../../src/steps/confidence/store-history.js';
import { gitCheckout } from '../../src/steps/git/checkout.js';
import { testsRun } from '../../src/steps/tests/run.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { bumpLib, FLAKY_TEST, FROM, generateConfidenceFleet, PINNED_TEST, PRE_EXISTING_TEST, type Service, type ServiceKind } from '../fixtures/confidence/confidence-fleet.js';
import { flotilla } from '../helpers/cli.js';
import { tempDir } from '../helpers/repos.js';

const CAMPAIGN = 'bump-lib';

function step(id: string, definition: AnyStep, inputs: Record<string, unknown> = {}): EngineStep {
  return { id, uses: definition.id, definition, with: inputs, timeoutMs: 60_000, attempts: 1, backoffMs: 10 };
}

const PATH = withImpliedCheckout([step('bump', bumpLib), step('test', testsRun), step('gate', confidenceGate, { autoMerge: 0.9, needsHuman: 0.6 }), step('open', changeOpen), step('merge', changeMerge)], gitCheckout);

describe('the confidence gate over 100 generated services', () => {
  let dir: string;
  let store: SqliteStore;
  let services: Service[];
  let runs: Map<string, RunState>;
  const seconds: Record<string, number> = {};

  beforeAll(async () => {
    dir = await tempDir();
    let started = Date.now();
    services = await generateConfidenceFleet(join(dir, 'repos'));
    seconds.generate = (Date.now() - started) / 1000;
    store = new SqliteStore(join(dir, 'state', 'flotilla.db'));
    await store.saveCampaign({ name: CAMPAIGN, hash: CAMPAIGN, spec: { name: CAMPAIGN, steps: PATH.map(({ id, uses }) => ({ id, uses })) }, file: 'campaign.yaml', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() });
    const restore = provideConfidenceHistory(storeConfidenceHistory(store));
    started = Date.now();
    try {
      const campaign = { name: CAMPAIGN, hash: CAMPAIGN, file: 'campaign.yaml', spec: {}, change: { title: `chore: ${CAMPAIGN}`, body: '' }, steps: PATH };
      const runner = new CampaignRunner(campaign, { store, stateDir: join(dir, 'state'), concurrency: 8, scmFor: (target) => new LocalGitScm(target.spec.repo), interpolate: (value) => value });
      const results = await runner.run(services.map((service) => service.target));
      runs = new Map(results.map((run) => [run.target, run]));
    } finally {
      restore();
    }
    seconds.campaign = (Date.now() - started) / 1000;
  }, 240_000);

  afterAll(async () => {
    await store.close();
  });

  const of = (...kinds: ServiceKind[]): Service[] => services.filter((service) => kinds.includes(service.kind));
  const decisionOf = async (name: string) => (await readLedger(store, CAMPAIGN)).decisions.get(`${CAMPAIGN}:${name}`)?.decision;

  it('auto-merges every safe change with strong evidence: full suites, a flaky test, a test that fails on the baseline too', async () => {
    for (const service of of('strong', 'flaky', 'pre-existing')) {
      const run = runs.get(service.name);
      expect(run?.outcome, `${service.name}: ${run?.reasons.join('; ')}`).toBe('merged');
      expect((await decisionOf(service.name))?.action).toBe('auto-merge');
      expect(await git(service.target.spec.repo, ['show', 'main:lib.json'])).toContain('1.5.0');
    }
  });

  it('reports a flaky test as flaky and a test that also fails on the baseline as pre-existing, without blocking either', () => {
    for (const service of of('flaky')) expect(runs.get(service.name)?.steps.test?.output).toMatchObject({ flaky: [FLAKY_TEST], preExisting: [], failedByChange: [] });
    for (const service of of('pre-existing')) expect(runs.get(service.name)?.steps.test?.output).toMatchObject({ flaky: [], preExisting: [PRE_EXISTING_TEST], failedByChange: [] });
  });

  it('never auto-merges a breaking change: the ones tests catch fail by name, the untested ones go to a person', async () => {
    for (const service of of('breaks')) {
      const run = runs.get(service.name);
      expect(run).toMatchObject({ outcome: 'failed', failedStep: 'test' });
      expect(run?.reasons[0]).toContain(`1 test fails because of the change (they pass on the baseline): ${PINNED_TEST}`);
      expect(await git(service.target.spec.repo, ['show', 'main:lib.json'])).toContain(FROM);
    }
    for (const service of of('untested-breaks')) expect(runs.get(service.name)?.outcome).toBe('needs-human');
  });

  it('sends the uncertain ones to a person with reasons that name the weak signal', () => {
    for (const service of of('weak')) {
      const run = runs.get(service.name);
      expect(run?.outcome).toBe('needs-human');
      expect(run?.reasons).toContain('tests: 2 of 2 tests passed, but 3 or fewer tests are too few to count as evidence');
      expect(run?.reasons).toContain('test-evidence: only 2 tests checked the change; 3 or fewer count for nothing');
    }
    for (const service of of('none', 'untested-breaks')) {
      const run = runs.get(service.name);
      expect(run?.outcome).toBe('needs-human');
      expect(run?.reasons[0]).toMatch(/^confidence 0\.\d\d \(neutral\) is below the auto-merge threshold 0\.90$/);
      expect(run?.reasons).toContain('test-evidence: the target has no tests');
    }
  });

  it('adds up: 60 merged with no person, 25 for a person, 15 failed, in reasonable time', async () => {
    const counts: Record<string, number> = {};
    for (const run of runs.values()) counts[run.outcome ?? 'unfinished'] = (counts[run.outcome ?? 'unfinished'] ?? 0) + 1;
    expect(counts).toEqual({ merged: 60, 'needs-human': 25, failed: 15 });
    const ledger = await readLedger(store, CAMPAIGN);
    expect(ledger.decisions.size).toBe(85);
    const record = [...ledger.decisions.values()].filter((entry) => entry.decision.signals.find((signal) => signal.id === 'campaign-record')?.available);
    expect(record.length).toBeGreaterThan(70);
    console.log(`confidence fleet: generated in ${seconds.generate ?? 0}s, ran in ${seconds.campaign ?? 0}s`, counts);
    expect(seconds.campaign).toBeLessThan(120);
  });

  describe('through the CLI', () => {
    const cli = (...args: string[]) => flotilla([...args, '--state', join(dir, 'state')]);
    const first = (kind: ServiceKind): string => of(kind)[0]?.name ?? '';

    it('explains a decision in plain language, and as JSON', async () => {
      const weak = await cli('explain', CAMPAIGN, first('weak'));
      expect(weak.code).toBe(0);
      expect(weak.stdout).toContain(`${CAMPAIGN} / ${first('weak')}: the confidence gate asked a person to decide`);
      expect(weak.stdout).toMatch(/tests\s+0\.00\s+3\.00\s+0\.00\s+0%\s+2 of 2 tests passed, but 3 or fewer tests are too few to count as evidence/);
      expect(weak.stdout).toContain('Hard gates: none held.');
      const strong = JSON.parse((await cli('explain', CAMPAIGN, first('pre-existing'), '--json')).stdout) as { decision: { action: string; signals: { id: string; explanation: string }[] } };
      expect(strong.decision.action).toBe('auto-merge');
      expect(strong.decision.signals.find((signal) => signal.id === 'tests')?.explanation).toContain(`1 test also fails without the change, so not its fault (${PRE_EXISTING_TEST})`);
      const broken = await cli('explain', CAMPAIGN, first('breaks'));
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain(`${first('breaks')} has no confidence decision in ${CAMPAIGN}`);
    });

    it('reports the campaign: merged with no person, the reasons a person was needed, failures by step, no waves', async () => {
      const json = await cli('report', CAMPAIGN, '--json');
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as { targets: number; time: { durationMs: number }; mergedWithoutHuman: { count: number; share: number }; needsHuman: { count: number; reasons: { reason: string; count: number }[] }; failed: { byStep: { step: string; count: number }[] }; waves: unknown[]; confidence: { autoMerge: number } };
      expect(report).toMatchObject({ targets: 100, mergedWithoutHuman: { count: 60, share: 0.6 }, needsHuman: { count: 25 }, failed: { byStep: [{ step: 'test', count: 15 }] }, waves: [], confidence: { autoMerge: 60 } });
      expect(report.time.durationMs).toBeGreaterThan(0);
      expect(report.needsHuman.reasons).toEqual(expect.arrayContaining([{ reason: 'confidence below the auto-merge threshold', count: 25, example: expect.any(String) as string }, expect.objectContaining({ reason: 'test-evidence', count: 25 }), expect.objectContaining({ reason: 'tests', count: 15 })]));
      const text = await cli('report', CAMPAIGN);
      expect(text.stdout).toContain('Merged with no person: 60 of 100 (60%).');
      expect(text.stdout).toContain('Waves: none recorded');
    });

    it('records outcomes and checks the calibration of the decisions against them', async () => {
      const empty = await cli('calibration');
      expect(empty.stdout).toContain('No outcomes recorded yet');
      for (const service of of('strong').slice(0, 6)) expect((await cli('outcome', CAMPAIGN, service.name, 'healthy')).code).toBe(0);
      const reverted = await cli('outcome', CAMPAIGN, first('flaky'), 'reverted', '--reason', 'timeouts in production', '--json');
      expect(JSON.parse(reverted.stdout)).toMatchObject({ ok: true, outcome: 'reverted', applied: true });
      expect((await cli('outcome', CAMPAIGN, first('strong'), 'fine')).code).toBe(2);
      const calibration = JSON.parse((await cli('calibration', '--json')).stdout) as { outcomes: number; safe: number; brier: number; learned: unknown };
      expect(calibration).toMatchObject({ outcomes: 7, safe: 6, learned: null });
      expect(calibration.brier).toBeGreaterThan(0);
      expect((await cli('explain', CAMPAIGN, first('flaky'))).stdout).toContain('Recorded outcome: reverted (timeouts in production)');
      const record = await storeConfidenceHistory(store).campaignRecord?.(CAMPAIGN, 'none');
      expect(record?.failures).toBe(16);
    });
  });
});
