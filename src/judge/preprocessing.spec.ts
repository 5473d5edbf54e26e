import { describe, expect, it } from 'vitest';
import { mean, percentile, prepareSample, tukeyFences, type PreprocessOptions } from './preprocessing.js';
import { sortedSample } from './rank-sum.js';

const keep = { strategy: 'keep', factor: 3 } as const;
const remove = { strategy: 'remove', factor: 3 } as const;

describe('percentile (Commons Math legacy estimator: position p (n + 1) / 100, interpolated)', () => {
  const ten = sortedSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
  it.each([
    [25, 2.75], // position 2.75: 2 + 0.75 * (3 - 2)
    [75, 8.25], // position 8.25: 8 + 0.25 * (9 - 8)
    [50, 5.5], // position 5.5
    [1, 1], // position 0.11 < 1: the minimum
    [99, 100], // position 10.89 >= n: the maximum
  ])('p%s of 1..9,100 is %s', (p, expected) => {
    expect(percentile(ten, p)).toBeCloseTo(expected, 12);
  });

  it('of one value is that value, of none NaN', () => {
    expect(percentile(sortedSample([7]), 25)).toBe(7);
    expect(percentile(sortedSample([]), 25)).toBeNaN();
  });

  it('gives Tukey fences Q1 - k IQR and Q3 + k IQR: IQR 5.5, k 3 -> [-13.75, 24.75]', () => {
    const [low, high] = tukeyFences(ten, 3);
    expect(low).toBeCloseTo(-13.75, 12);
    expect(high).toBeCloseTo(24.75, 12);
  });
});

describe('prepareSample', () => {
  const raw = [3, null, 1, Number.NaN, Number.POSITIVE_INFINITY, 2];
  it.each<[string, PreprocessOptions, number[], number, number]>([
    ['remove drops null, NaN and infinities', { nanStrategy: 'remove', outliers: keep }, [1, 2, 3], 3, 0],
    ['replace counts them as 0', { nanStrategy: 'replace', outliers: keep }, [0, 0, 0, 1, 2, 3], 3, 0],
  ])('%s', (_label, options, values, missing, outliers) => {
    const prepared = prepareSample(raw, options);
    expect([...prepared.values]).toEqual(values);
    expect(prepared).toMatchObject({ received: 6, missing, outliers });
  });

  it.each<[string, number[], number, number[]]>([
    ['a high outlier (fences [-13.75, 24.75])', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ['a low outlier (Q1 10.75, Q3 16.25, fences [-5.75, 32.75])', [-50, 10, 11, 12, 13, 14, 15, 16, 17, 18], 3, [10, 11, 12, 13, 14, 15, 16, 17, 18]],
    ['nothing with a wide factor (k 20: fences [-107.25, 118.25])', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]],
    ['both ends with a narrow factor (k 0.1: fences [2.2, 8.8])', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.1, [3, 4, 5, 6, 7, 8]],
  ])('outlier removal drops %s', (_label, values, factor, kept) => {
    const prepared = prepareSample(values, { nanStrategy: 'remove', outliers: { strategy: 'remove', factor } });
    expect([...prepared.values]).toEqual(kept);
    expect(prepared.outliers).toBe(values.length - kept.length);
  });

  it('keeps outliers when the strategy is keep', () => {
    expect(prepareSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], { nanStrategy: 'remove', outliers: keep }).outliers).toBe(0);
  });

  it('removes outliers after replacing missing values (Kayenta order): zeros can become outliers', () => {
    const prepared = prepareSample([null, 100, 101, 102, 103, 104, 105, 106, 107, 108], { nanStrategy: 'replace', outliers: remove });
    expect([...prepared.values]).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108]);
    expect(prepared).toMatchObject({ missing: 1, outliers: 1 });
  });

  it('handles an all-missing side: nothing left with remove, zeros with replace', () => {
    expect(prepareSample([null, null], { nanStrategy: 'remove', outliers: remove }).values.length).toBe(0);
    expect([...prepareSample([null, null], { nanStrategy: 'replace', outliers: remove }).values]).toEqual([0, 0]);
  });

  it('handles an empty side', () => {
    expect(prepareSample([], { nanStrategy: 'remove', outliers: remove })).toMatchObject({ received: 0, missing: 0, outliers: 0 });
  });
});

describe('mean', () => {
  it('averages, and is NaN for no values', () => {
    expect(mean(sortedSample([1, 2, 6]))).toBe(3);
    expect(mean(sortedSample([]))).toBeNaN();
  });
});
