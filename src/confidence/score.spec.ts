import { describe, expect, it } from 'vitest';
import { sigmoid } from './math/logistic.js';
import { decide } from './policy.js';
import { combine, levelOf } from './score.js';
import type { Signal } from './signal.js';

const signal = (id: Signal['id'], value: number, weight: number, extra: Partial<Signal> = {}): Signal => ({ id, available: true, value, weight, explanation: `${id} says ${value}`, details: {}, ...extra });

describe('the combiner', () => {
  it('adds weight × value to the bias in log-odds and shows each part and its share', () => {
    const score = combine([signal('tests', 1, 3), signal('tier', -1, 0.75), signal('canary', 0, 2, { available: false })], 1);
    expect(score.logOdds).toBeCloseTo(1 + 3 - 0.75, 10);
    expect(score.probability).toBeCloseTo(sigmoid(3.25), 4);
    expect(score.level).toBe('very-high');
    expect(score.contributions.map((part) => [part.id, part.contribution, part.share])).toEqual([
      ['tests', 3, 0.8],
      ['tier', -0.75, 0.2],
      ['canary', 0, 0],
    ]);
  });

  it('keeps hard gates beside the score', () => {
    const gate = { signal: 'tests' as const, action: 'halt' as const, reason: 'tests: 1 test fails because of the change: x' };
    const score = combine([signal('tests', -1, 3, { gate }), signal('canary', 1, 2)], 1);
    expect(score.gates).toEqual([gate]);
  });

  it.each([
    [0.95, 'very-high'],
    [0.9499, 'high'],
    [0.85, 'high'],
    [0.6, 'neutral'],
    [0.5999, 'low'],
    [0, 'low'],
  ])('level of %d is %s', (p, level) => expect(levelOf(p)).toBe(level));
});

describe('the decision', () => {
  const policy = { autoMerge: 0.9, needsHuman: 0.6 };

  it('auto-merges at or above the auto-merge threshold', () => {
    expect(decide(combine([signal('tests', 1, 3)], 1), policy)).toEqual({ action: 'auto-merge', reasons: ['confidence 0.98 (very-high) is at or above the auto-merge threshold 0.90'] });
  });

  it('asks a person in between, naming the weak signals by how much each held the score back', () => {
    const score = combine([signal('tests', 0, 3), signal('test-evidence', -1, 0.5), signal('tier', 0, 0.75), signal('change-kind', 0.5, 1)], 1);
    const verdict = decide(score, policy);
    expect(verdict.action).toBe('needs-human');
    expect(verdict.reasons).toEqual(['confidence 0.73 (neutral) is below the auto-merge threshold 0.90', 'tests: tests says 0', 'test-evidence: test-evidence says -1']);
  });

  it('halts below the needs-human threshold, and says the evidence is thin when no signal is weak', () => {
    const verdict = decide(combine([signal('tier', 0, 0.75), signal('canary', 0, 2, { available: false })], 0), policy);
    expect(verdict).toEqual({ action: 'halt', reasons: ['confidence 0.50 (low) is below the needs-human threshold 0.60', 'no signal is weak but the evidence is thin: no evidence from canary'] });
  });

  it('lets a halt gate win over any probability, and a needs-human gate over auto-merge', () => {
    const halt = { signal: 'canary' as const, action: 'halt' as const, reason: 'canary: the canary failed with score 10' };
    const hold = { signal: 'compliance' as const, action: 'needs-human' as const, reason: 'compliance: 1 blocking finding' };
    expect(decide(combine([signal('tests', 1, 30), signal('canary', -1, 2, { gate: halt })], 5), policy)).toEqual({ action: 'halt', reasons: [halt.reason] });
    expect(decide(combine([signal('tests', 1, 30), signal('compliance', -1, 0.5, { gate: hold })], 5), policy)).toEqual({ action: 'needs-human', reasons: [hold.reason] });
  });
});

describe('the decision near a threshold', () => {
  it('prints as many decimals as it takes not to look equal to the threshold', () => {
    const verdict = decide(combine([], Math.log(0.5999 / 0.4001)), { autoMerge: 0.9, needsHuman: 0.6 });
    expect(verdict.reasons[0]).toBe('confidence 0.5999 (low) is below the needs-human threshold 0.60');
  });
});
