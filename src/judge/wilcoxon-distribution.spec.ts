import { describe, expect, it } from 'vitest';
import { wilcoxonCdf, wilcoxonDensity, wilcoxonFrequencies, wilcoxonQuantile } from './wilcoxon-distribution.js';

describe('wilcoxonFrequencies', () => {
  it('counts the arrangements of 3 x and 4 y by U (by hand: partitions in a 3 x 4 box, 35 in all)', () => {
    expect([...wilcoxonFrequencies(3, 4)]).toEqual([1, 1, 2, 3, 4, 4, 5, 4, 4, 3, 2, 1, 1]);
    expect([...wilcoxonFrequencies(4, 3)]).toEqual([...wilcoxonFrequencies(3, 4)]);
  });

  it.each([
    [0, 3],
    [2.5, 3],
    [3, -1],
  ])('rejects sizes %s and %s', (m, n) => {
    expect(() => wilcoxonFrequencies(m, n)).toThrow(RangeError);
  });
});

describe('wilcoxonDensity and wilcoxonCdf', () => {
  // Exact fractions from Python integers (test/fixtures/judge/wilcox_reference.py, `frequencies`).
  it.each([
    ['P(U = 6), m=3, n=4', () => wilcoxonDensity(6, 3, 4), 5 / 35],
    ['P(U = 6.5) is 0', () => wilcoxonDensity(6.5, 3, 4), 0],
    ['P(U = 13) is 0', () => wilcoxonDensity(13, 3, 4), 0],
    ['P(U = 50), m=n=10', () => wilcoxonDensity(50, 10, 10), 0.029487540323453635],
    ['P(U <= 2), m=3, n=4', () => wilcoxonCdf(2, 3, 4), 4 / 35],
    ['P(U > 2), m=3, n=4', () => wilcoxonCdf(2, 3, 4, true), 31 / 35],
    ['P(U <= 9), upper half of the support: 1+1+2+3+4+4+5+4+4+3', () => wilcoxonCdf(9, 3, 4), 31 / 35],
    ['P(U > 9): 2+1+1', () => wilcoxonCdf(9, 3, 4, true), 4 / 35],
    ['P(U <= -1) is 0', () => wilcoxonCdf(-1, 3, 4), 0],
    ['P(U <= 12) is 1', () => wilcoxonCdf(12, 3, 4), 1],
    ['P(U <= 23), m=n=10', () => wilcoxonCdf(23, 10, 10), 0.02162852627248912],
    ['P(U <= 800), m=n=49', () => wilcoxonCdf(800, 49, 49), 0.0020826437503559847],
    ['P(U > 1600), m=n=49 (symmetry)', () => wilcoxonCdf(1600, 49, 49, true), 0.0020826437503559847],
  ])('%s', (_label, compute, expected) => {
    expect(compute()).toBeCloseTo(expected, 15);
  });
});

describe('wilcoxonQuantile', () => {
  // Smallest q with P(U <= q) >= p, from exact fractions in Python.
  it.each([
    [0.01, 6, 7, 5],
    [0.025, 10, 10, 24],
    [0.01, 2, 3, 0],
    [0.005, 49, 49, 840],
    [0.5, 5, 5, 12],
    [0.975, 10, 10, 76],
    [0, 4, 4, 0],
    [1, 4, 4, 16],
  ])('qwilcox(%s, %s, %s) = %s', (p, m, n, expected) => {
    expect(wilcoxonQuantile(p, m, n)).toBe(expected);
  });

  it('lands on a step exactly reached despite rounding (R fuzz of 10 eps): P(U <= 2) = 4/35', () => {
    expect(wilcoxonQuantile(4 / 35, 3, 4)).toBe(2);
  });

  it('is NaN outside [0, 1]', () => {
    expect(wilcoxonQuantile(1.5, 3, 4)).toBeNaN();
  });
});
