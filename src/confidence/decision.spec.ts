import { describe, expect, it } from 'vitest';
import { decideConfidence, decisionSchema, featuresOf } from './decision.js';
import type { Evidence, TestsEvidence } from './evidence.js';

const now = '2025-06-30T12:00:00Z';
const green = (passed: number): TestsEvidence => ({ ran: true, total: passed, passed, failed: 0, skipped: 0, flaky: [], preExisting: [], failedByChange: [], format: 'tap' });
const minorBump = { kind: 'minor' as const, bumps: [{ package: '@acme/strings', from: '1.2.0', to: '1.3.0', kind: 'minor' as const }], files: 1 };

/** The default weights and policy on the cases the 100-target fleet test runs, so a change of weights shows here first. */
describe('default decisions', () => {
  const cases: [string, Omit<Evidence, 'now'>, string, string][] = [
    ['a full suite, tier 2', { tier: 2, tests: green(20) }, 'auto-merge', 'very-high'],
    ['12 tests, tier 1', { tier: 1, tests: green(12) }, 'auto-merge', 'very-high'],
    ['12 tests with one flaky, tier 1', { tier: 1, tests: { ...green(11), total: 12, failed: 1, flaky: ['x'] } }, 'auto-merge', 'high'],
    ['12 tests with one failing before the change too, tier 1', { tier: 1, tests: { ...green(11), total: 12, failed: 1, preExisting: ['x'] } }, 'auto-merge', 'high'],
    ['two tests, tier 3', { tier: 3, tests: green(2) }, 'needs-human', 'neutral'],
    ['no test command, tier 1', { tier: 1, tests: { ...green(0), ran: false } }, 'needs-human', 'neutral'],
    ['two tests, tier 3, and a clean campaign record of 80', { tier: 3, tests: green(2), campaignRecord: { successes: 80, failures: 0 } }, 'needs-human', 'neutral'],
    ['a failing test caused by the change', { tier: 2, tests: { ...green(19), total: 20, failed: 1, failedByChange: ['adds'] } }, 'halt', 'low'],
  ];
  it.each(cases)('%s', (_name, extra, action, level) => {
    const evidence: Evidence = { now, change: minorBump, ...extra };
    const decision = decideConfidence(evidence);
    expect(decision.action).toBe(action);
    expect(decision.level).toBe(level);
    expect(decisionSchema.parse(JSON.parse(JSON.stringify(decision)))).toEqual(decision);
  });

  it('names the weak test signals when it asks a person', () => {
    const decision = decideConfidence({ now, tier: 2, tests: green(2), change: minorBump });
    expect(decision.reasons.slice(1)).toEqual([
      'tests: 2 of 2 tests passed, but 3 or fewer tests are too few to count as evidence',
      'test-evidence: only 2 tests checked the change; 3 or fewer count for nothing',
    ]);
  });

  it('records the features it decided on, 0 for signals with no evidence', () => {
    const decision = decideConfidence({ now, tier: 0, tests: green(20), change: minorBump });
    expect(featuresOf(decision)).toMatchObject({ tests: 1, 'test-evidence': 0, canary: 0, tier: -1, 'change-size': 1 });
  });
});
