import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from './normal-distribution.js';

/** Relative closeness, for values across many orders of magnitude. */
function expectRelativelyClose(actual: number, expected: number, tolerance: number): void {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThan(1e-300);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
}

describe('normalQuantile', () => {
  // SciPy 1.17: scipy.stats.norm.ppf(p) (Cephes ndtri, a different algorithm from AS 241).
  it.each([
    [1e-300, -37.0470962993612],
    [1e-12, -7.034483825301131],
    [1e-6, -4.753424308822899],
    [0.01, -2.3263478740408408],
    [0.025, -1.9599639845400545],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.7, 0.5244005127080407],
    [0.975, 1.959963984540054],
    [0.999999, 4.753424308817087],
  ])('p = %s gives %s', (p, expected) => {
    expectRelativelyClose(normalQuantile(p), expected, 1e-13);
  });

  it('takes the upper tail from p itself, so it mirrors the lower tail exactly (as R)', () => {
    expect(normalQuantile(0.01, true)).toBe(2.3263478740408408); // scipy.stats.norm.isf(0.01)
    expect(normalQuantile(0.01, true)).toBe(-normalQuantile(0.01));
  });

  it.each([
    [0, Number.NEGATIVE_INFINITY],
    [1, Number.POSITIVE_INFINITY],
    [-0.1, Number.NaN],
    [1.1, Number.NaN],
    [Number.NaN, Number.NaN],
  ])('edge p = %s gives %s', (p, expected) => {
    expect(normalQuantile(p)).toBe(expected);
  });
});

describe('normalCdf', () => {
  // SciPy 1.17: scipy.stats.norm.cdf(x) and scipy.stats.norm.sf(x).
  it.each([
    [-40, 0, 1],
    [-10, 7.61985302416047e-24, 1],
    [-5.7, 5.99037140106353e-9, 0.9999999940096286],
    [-3, 0.0013498980316300933, 0.9986501019683699],
    [-0.5, 0.3085375387259869, 0.6914624612740131],
    [0, 0.5, 0.5],
    [0.3, 0.6179114221889526, 0.3820885778110474],
    [0.6744, 0.7499714786270594, 0.2500285213729406],
    [1.96, 0.9750021048517795, 0.024997895148220435],
    [5, 0.9999997133484281, 2.866515718791933e-7],
    [8.3, 1, 5.2055697448902465e-17],
    [38, 1, 0],
  ])('x = %s: lower %s, upper %s', (x, lower, upper) => {
    expectRelativelyClose(normalCdf(x), lower, 1e-13);
    expectRelativelyClose(normalCdf(x, true), upper, 1e-13);
  });

  it('is the inverse of normalQuantile', () => {
    for (const p of [1e-10, 0.001, 0.2, 0.5, 0.9, 0.9999]) expectRelativelyClose(normalCdf(normalQuantile(p)), p, 1e-14);
  });

  it('propagates NaN', () => {
    expect(normalCdf(Number.NaN)).toBeNaN();
  });
});
