import { describe, expect, it } from 'vitest';
import { commonLanguageEffectSize, defaultEffectSizeThresholds, effectSize, meanRatio } from './effect-size.js';
import { sortedSample } from './rank-sum.js';

const s = sortedSample;

describe('meanRatio (experiment mean / control mean)', () => {
  it.each([
    ['doubled', [10, 20], [30, 30], 2],
    ['halved', [4, 8], [3, 3], 0.5],
    ['experiment mean 0', [1, 3], [0, 0], 0],
    ['control mean 0: undefined', [-1, 1], [5, 5], Number.NaN],
    ['no control data', [], [5], Number.NaN],
  ])('%s', (_label, control, experiment, expected) => {
    const ratio = meanRatio(s(control), s(experiment));
    if (Number.isNaN(expected)) expect(ratio).toBeNaN();
    else expect(ratio).toBeCloseTo(expected, 12);
  });
});

describe('commonLanguageEffectSize (P(experiment > control), ties one half)', () => {
  it.each([
    // e=2: beats 1, ties 2 -> 1.5; e=3: beats 1, 2, ties 3 -> 2.5; e=4: beats all -> 3; 7 / 9
    ['overlapping with ties', [1, 2, 3], [2, 3, 4], 7 / 9],
    ['experiment all higher', [1, 2], [3, 4], 1],
    ['experiment all lower', [3, 4], [1, 2], 0],
    ['identical', [1, 2, 3], [1, 2, 3], 0.5],
    ['no data', [], [1], Number.NaN],
  ])('%s', (_label, control, experiment, expected) => {
    const cles = commonLanguageEffectSize(s(control), s(experiment));
    if (Number.isNaN(expected)) expect(cles).toBeNaN();
    else expect(cles).toBeCloseTo(expected, 12);
  });
});

describe('effectSize and defaults', () => {
  it('dispatches on the measure', () => {
    expect(effectSize('meanRatio', s([1, 3]), s([4, 4]))).toBe(2);
    expect(effectSize('cles', s([1, 3]), s([4, 4]))).toBe(1);
  });

  it("defaults every threshold to the measure's neutral value, as Kayenta", () => {
    expect(defaultEffectSizeThresholds()).toEqual({ measure: 'meanRatio', allowedIncrease: 1, allowedDecrease: 1, criticalIncrease: 1, criticalDecrease: 1 });
    expect(defaultEffectSizeThresholds('cles')).toEqual({ measure: 'cles', allowedIncrease: 0.5, allowedDecrease: 0.5, criticalIncrease: 0.5, criticalDecrease: 0.5 });
  });
});
