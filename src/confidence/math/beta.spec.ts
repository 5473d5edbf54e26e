import { describe, expect, it } from 'vitest';
import { BETA_CDF, BETA_QUANTILES, LOG_GAMMA } from '../../../test/fixtures/confidence/beta-scipy.js';
import { betaQuantile, logGamma, regularizedIncompleteBeta } from './beta.js';

describe('the Beta distribution, against SciPy', () => {
  it.each(LOG_GAMMA.map(([x, value]) => [x, value]))('ln Γ(%d)', (x, value) => {
    expect(logGamma(x)).toBeCloseTo(value, Math.abs(value) > 1000 ? 7 : 11);
  });

  it.each(BETA_CDF.map(([a, b, x, p]) => [a, b, x, p]))('I_x(%d, %d) at x = %d', (a, b, x, p) => {
    expect(Math.abs(regularizedIncompleteBeta(x, a, b) - p)).toBeLessThan(1e-10);
  });

  it.each(BETA_QUANTILES.map(([a, b, p, x]) => [a, b, p, x]))('Beta(%d, %d) quantile at p = %d', (a, b, p, x) => {
    expect(Math.abs(betaQuantile(p, a, b) - x)).toBeLessThan(1e-9);
  });

  it('has exact edges and refuses what has no meaning', () => {
    expect(betaQuantile(0, 3, 4)).toBe(0);
    expect(betaQuantile(1, 3, 4)).toBe(1);
    expect(regularizedIncompleteBeta(0, 3, 4)).toBe(0);
    expect(regularizedIncompleteBeta(1, 3, 4)).toBe(1);
    expect(() => betaQuantile(0.5, 0, 1)).toThrow(RangeError);
    expect(() => betaQuantile(1.5, 1, 1)).toThrow(RangeError);
  });
});
