import { describe, expect, it } from 'vitest';
import { mannWhitneyU, pooledRanks, sortedSample, tieTermOf } from './rank-sum.js';

/** Brute-force average ranks, O(N^2): an independent check of the merge. */
function naive(x: number[], y: number[], shift: number): { rankSumX: number; tieTerm: number } {
  const pooled = [...x.map((v) => v - shift), ...y];
  const rank = (v: number): number => pooled.filter((w) => w < v).length + (pooled.filter((w) => w === v).length + 1) / 2;
  const rankSumX = x.reduce((sum, v) => sum + rank(v - shift), 0);
  const counts = new Map<number, number>();
  for (const v of pooled) counts.set(v, (counts.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) tieTerm += t ** 3 - t;
  return { rankSumX, tieTerm };
}

const X = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
const Y = [2, 7, 1, 8, 2, 8, 1, 8];

describe('pooledRanks', () => {
  it.each([0, 0.5, 1, -2, 3.25, 100, -100])('matches brute force at shift %s', (shift) => {
    expect(pooledRanks(sortedSample(X), sortedSample(Y), shift)).toEqual(naive(X, Y, shift));
  });

  // SciPy: rankdata(concatenate([x - 0.5, y]))[:10].sum() = 89; tie term sum(t^3 - t) = 54 (120 at shift 0).
  it('gives the SciPy rank sum and tie term', () => {
    expect(pooledRanks(sortedSample(X), sortedSample(Y), 0.5)).toEqual({ rankSumX: 89, tieTerm: 54 });
    expect(pooledRanks(sortedSample(X), sortedSample(Y)).tieTerm).toBe(120);
  });

  it('counts x values that become equal only after the shift is rounded, as R ranks x - d', () => {
    const x = sortedSample([1e-17, 0]);
    // 1 - ... rounds both to -1: a tie R sees in rank(c(x - d, y)), so we must too.
    expect(pooledRanks(x, sortedSample([5]), 1)).toEqual({ rankSumX: 3, tieTerm: 6 });
  });
});

describe('mannWhitneyU and tieTermOf', () => {
  it('is SciPy mannwhitneyu(x, y).statistic (37) and complements to n*m', () => {
    expect(mannWhitneyU(sortedSample(X), sortedSample(Y))).toBe(37);
    expect(mannWhitneyU(sortedSample(Y), sortedSample(X))).toBe(X.length * Y.length - 37);
  });

  it.each([
    [[1, 2, 3], 0],
    [[1, 1, 2, 2, 2], 6 + 24],
    [[4, 4, 4, 4], 60],
    [[], 0],
  ])('tie term of %j is %s', (values, expected) => {
    expect(tieTermOf(sortedSample(values))).toBe(expected);
  });

  it('sortedSample sorts numerically, not as strings', () => {
    expect([...sortedSample([10, 9, -1, 100])]).toEqual([-1, 9, 10, 100]);
  });
});
