import type { Target } from '../model/fleet.js';

/** The rollout settings the engine uses, defaults applied. */
export interface RolloutPlan {
  /** Wave index by target name (0 = first wave). */
  waveOf: Map<string, number>;
  waves: number;
  /** Lower bound the success rate of a wave must reach before the next starts. */
  gate: number;
  halt?: { failureRate: number; minRuns: number };
}

/**
 * Orders targets from least to most risky: the least critical tier first (3 before 0), targets with
 * tests before those without, then by name, so the first waves are where a bad change hurts least and
 * shows soonest.
 */
export function orderByRisk(targets: readonly Target[]): Target[] {
  return [...targets].sort(
    (a, b) =>
      b.facts.tier - a.facts.tier ||
      Number(b.facts.hasTests) - Number(a.facts.hasTests) ||
      a.spec.name.localeCompare(b.spec.name),
  );
}

/**
 * Cuts ordered targets into waves of cumulative sizes: `[1, 5, "25%", "100%"]` means the first target,
 * then up to 5 in all, then up to a quarter, then everyone. Targets past the last size join the last wave.
 */
export function assignWaves(ordered: readonly Target[], sizes: readonly (number | string)[]): Map<string, number> {
  const total = ordered.length;
  const bounds = sizes.map((size) => (typeof size === 'number' ? size : Math.ceil((Number(size.slice(0, -1)) / 100) * total)));
  const waveOf = new Map<string, number>();
  let wave = 0;
  ordered.forEach((target, index) => {
    while (wave < bounds.length - 1 && index >= (bounds[wave] ?? total)) wave++;
    waveOf.set(target.spec.name, wave);
  });
  return waveOf;
}

/**
 * The lower bound of a success rate: the `quantile` (default 5%) of its Beta(successes + 1, failures + 1)
 * posterior under a uniform prior. With integer parameters the Beta CDF is a binomial tail, so bisection
 * on it is exact enough and needs no special functions.
 */
export function successLowerBound(successes: number, failures: number, quantile = 0.05): number {
  const a = successes + 1;
  const n = successes + failures + 1;
  // P(Beta(a, b) <= x) = P(Binomial(n, x) >= a) with n = a + b - 1.
  const cdf = (x: number): number => {
    let tail = 0;
    for (let k = a; k <= n; k++) tail += Math.exp(logChoose(n, k) + k * Math.log(x) + (n - k) * Math.log1p(-x));
    return tail;
  };
  let low = 0;
  let high = 1;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (cdf(middle) < quantile) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}
