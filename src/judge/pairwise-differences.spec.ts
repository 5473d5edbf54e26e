import { describe, expect, it } from 'vitest';
import { hodgesLehmannShift, pairwiseDifferenceOrderStatistic } from './pairwise-differences.js';
import { sortedSample } from './rank-sum.js';

function bruteForce(x: number[], y: number[]): number[] {
  return x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
}

const X = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
const Y = [2, 7, 1, 8, 2, 8, 1, 8];

describe('pairwiseDifferenceOrderStatistic', () => {
  // NumPy: sort(subtract.outer(x, y).ravel())[k - 1] for k = 1, 17, 40, 41, 80 -> -7, -5, -1, 0, 8.
  it.each([
    [1, -7],
    [17, -5],
    [40, -1],
    [41, 0],
    [80, 8],
  ])('k = %s of the 80 differences (many ties) is %s', (k, expected) => {
    expect(pairwiseDifferenceOrderStatistic(sortedSample(X), sortedSample(Y), k)).toBe(expected);
  });

  it('agrees with sorting all differences for every k, on continuous data', () => {
    const x = Array.from({ length: 23 }, (_, i) => Math.sin(i * 1.7) * 10);
    const y = Array.from({ length: 17 }, (_, i) => Math.cos(i * 2.3) * 7 + 1);
    const all = bruteForce(x, y);
    const xs = sortedSample(x);
    const ys = sortedSample(y);
    for (let k = 1; k <= all.length; k++) expect(pairwiseDifferenceOrderStatistic(xs, ys, k)).toBe(all[k - 1]);
  });

  it.each([
    [[], [1], 1],
    [[1], [1], 0],
    [[1], [1], 2],
    [[1, 2], [1], 1.5],
  ])('rejects x=%j y=%j k=%s', (x, y, k) => {
    expect(() => pairwiseDifferenceOrderStatistic(sortedSample(x), sortedSample(y), k)).toThrow(RangeError);
  });
});

describe('hodgesLehmannShift', () => {
  it('is the median of the differences: NumPy median = -0.5 (mean of the 40th and 41st)', () => {
    expect(hodgesLehmannShift(sortedSample(X), sortedSample(Y))).toBe(-0.5);
  });

  it('takes the middle one for an odd count', () => {
    expect(hodgesLehmannShift(sortedSample([1, 2, 10]), sortedSample([0]))).toBe(2);
  });

  it('handles a million differences without building them (1,000 x 1,000)', () => {
    const x = Array.from({ length: 1000 }, (_, i) => 10 + ((i * 7919) % 1009) / 101);
    const y = Array.from({ length: 1000 }, (_, i) => 9 + ((i * 6007) % 1013) / 103);
    const estimate = hodgesLehmannShift(sortedSample(x), sortedSample(y));
    // Brute force on the same data (1e6 differences, sorted once here as the reference).
    const all = bruteForce(x, y);
    expect(estimate).toBe((all[499_999]! + all[500_000]!) / 2);
  });
});
