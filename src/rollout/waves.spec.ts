import { describe, expect, it } from 'vitest';
import type { Target } from '../model/fleet.js';
import { assignWaves, orderByRisk, successLowerBound } from './waves.js';

function target(name: string, tier: number, hasTests: boolean): Target {
  return {
    spec: { name, repo: name, tier, tags: [] },
    facts: { name, repo: name, owner: '', tier, tags: [], defaultBranch: 'main', commit: '', languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests, testCommand: '' },
  };
}

describe('orderByRisk', () => {
  it('puts the least critical tiers and tested targets first', () => {
    const ordered = orderByRisk([target('core', 0, true), target('tool', 3, false), target('web', 3, true), target('api', 1, true)]);
    expect(ordered.map((entry) => entry.spec.name)).toEqual(['web', 'tool', 'api', 'core']);
  });
});

describe('assignWaves', () => {
  const fleet = Array.from({ length: 20 }, (_, index) => target(`t${String(index).padStart(2, '0')}`, 2, true));
  it.each([
    [[1, 5, '25%', '100%'], [1, 4, 0, 15]],
    [['50%'], [20]],
    [[2, 4], [2, 18]],
  ])('cuts %j into cumulative waves', (sizes, counts) => {
    const waves = assignWaves(fleet, sizes);
    const sizesOf = counts.map((_, wave) => [...waves.values()].filter((value) => value === wave).length);
    expect(sizesOf).toEqual(counts);
  });
});

describe('successLowerBound', () => {
  // 5% quantiles of Beta(s+1, f+1), from scipy.stats.beta.ppf(0.05, s + 1, f + 1).
  it.each([
    [1, 0, 0.2236068],
    [4, 1, 0.4181966],
    [0, 1, 0.0253206],
    [9, 1, 0.6356405],
    [45, 5, 0.804849],
  ])('%i successes, %i failures → %f', (successes, failures, expected) => {
    expect(successLowerBound(successes, failures)).toBeCloseTo(expected, 5);
  });
});
