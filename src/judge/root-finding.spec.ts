import { describe, expect, it } from 'vitest';
import { brentRoot } from './root-finding.js';

describe('brentRoot', () => {
  it('finds sqrt(2) within the tolerance', () => {
    const f = (x: number): number => x * x - 2;
    const result = brentRoot(f, 0, 2, f(0), f(2), 1e-10);
    expect(result.converged).toBe(true);
    expect(Math.abs(result.root - Math.SQRT2)).toBeLessThan(1e-10);
  });

  it.each([
    ['lower end', 0, 3, 0, 1, 0],
    ['upper end', -1, 4, -3, 0, 4],
  ])('returns a zero at the %s without iterating', (_label, lower, upper, fLower, fUpper, expected) => {
    expect(brentRoot(() => Number.NaN, lower, upper, fLower, fUpper)).toEqual({ root: expected, iterations: 0, converged: true });
  });

  it('lands within the tolerance of the jump of a step function (the Wilcoxon case)', () => {
    const step = (x: number): number => (x < 1.2345 ? 3 : -2);
    const result = brentRoot(step, -10, 10, 3, -2, 1e-4);
    expect(Math.abs(result.root - 1.2345)).toBeLessThanOrEqual(1e-4);
  });

  it('reports when the iteration limit is reached', () => {
    const step = (x: number): number => (x < 0.123456 ? 1 : -1);
    const result = brentRoot(step, -1e6, 1e6, 1, -1, 1e-12, 2);
    expect(result).toMatchObject({ converged: false, iterations: 3 });
  });
});
