/**
 * The exact null distribution of the Mann-Whitney statistic U (the number of pairs with x > y) for
 * samples of sizes m and n without ties — R's `dwilcox`, `pwilcox` and `qwilcox`. R uses it for the
 * p-value and the confidence interval when both samples have fewer than 50 values and there are no
 * ties; so do we.
 *
 * The frequencies come from the recurrence `N(k; m, n) = N(k - n; m - 1, n) + N(k; m, n - 1)` (the
 * largest value is either an x, which beats all n y's, or a y). Only additions of positive numbers,
 * so the doubles stay accurate to a few ulps even where the counts pass 2^53.
 */

const frequencyCache = new Map<string, Float64Array>();
const CACHE_LIMIT = 64;

/**
 * Frequencies of U = 0..m*n over all C(m+n, n) arrangements. Memoised: the function is pure, and a
 * canary judges many metrics with the same sample sizes.
 */
export function wilcoxonFrequencies(m: number, n: number): Float64Array {
  assertSizes(m, n);
  const key = `${Math.min(m, n)}x${Math.max(m, n)}`;
  const cached = frequencyCache.get(key);
  if (cached) return cached;

  const small = Math.min(m, n);
  const large = Math.max(m, n);
  // previous[j] holds the frequencies for sizes (i - 1, j); current[j] for (i, j). The distribution is
  // symmetric in (m, n), so iterate over the smaller size.
  let previous: Float64Array[] = [];
  for (let j = 0; j <= large; j++) previous.push(Float64Array.of(1));
  for (let i = 1; i <= small; i++) {
    const current: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= large; j++) {
      const counts = new Float64Array(i * j + 1);
      const withXLargest = previous[j]!; // sizes (i - 1, j), shifted by j
      const withYLargest = current[j - 1]!; // sizes (i, j - 1)
      for (let k = 0; k < withYLargest.length; k++) counts[k] = withYLargest[k]!;
      for (let k = 0; k < withXLargest.length; k++) counts[k + j] = counts[k + j]! + withXLargest[k]!;
      current.push(counts);
    }
    previous = current;
  }
  const result = previous[large]!;
  if (frequencyCache.size >= CACHE_LIMIT) frequencyCache.clear();
  frequencyCache.set(key, result);
  return result;
}

function assertSizes(m: number, n: number): void {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
    throw new RangeError(`sample sizes must be positive integers, got ${m} and ${n}`);
  }
}

function total(frequencies: Float64Array): number {
  let sum = 0;
  for (const f of frequencies) sum += f;
  return sum;
}

/** `P(U = k)`; zero outside 0..m*n or for a non-integer k (as R's `dwilcox`). */
export function wilcoxonDensity(k: number, m: number, n: number): number {
  const frequencies = wilcoxonFrequencies(m, n);
  if (Math.abs(k - Math.floor(k + 0.5)) > 1e-7) return 0;
  const index = Math.floor(k + 0.5);
  if (index < 0 || index > m * n) return 0;
  return frequencies[index]! / total(frequencies);
}

/** `P(U <= q)`, or `P(U > q)` when `upperTail` (as R's `pwilcox`). */
export function wilcoxonCdf(q: number, m: number, n: number, upperTail = false): number {
  const frequencies = wilcoxonFrequencies(m, n);
  const k = Math.floor(q + 1e-7);
  if (k < 0) return upperTail ? 1 : 0;
  if (k >= m * n) return upperTail ? 0 : 1;
  const all = total(frequencies);
  let p = 0;
  // Sum the shorter side of the distribution and complement, as R does, to keep small tails exact.
  if (k <= (m * n) / 2) {
    for (let i = 0; i <= k; i++) p += frequencies[i]! / all;
    return upperTail ? 0.5 - p + 0.5 : p;
  }
  for (let i = 0; i < m * n - k; i++) p += frequencies[i]! / all;
  return upperTail ? p : 0.5 - p + 0.5;
}

/**
 * The smallest q with `P(U <= q) >= p` (as R's `qwilcox`, including its `10 * DBL_EPSILON` fuzz, which
 * keeps a probability that lands exactly on a step from being pushed to the next one by rounding).
 */
export function wilcoxonQuantile(p: number, m: number, n: number): number {
  const frequencies = wilcoxonFrequencies(m, n);
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return m * n;
  const all = total(frequencies);
  let cumulative = 0;
  let q = 0;
  if (p <= 0.5) {
    const target = p - 10 * Number.EPSILON;
    for (;;) {
      cumulative += frequencies[q]! / all;
      if (cumulative >= target) return q;
      q++;
    }
  }
  const target = 1 - p + 10 * Number.EPSILON;
  for (;;) {
    cumulative += frequencies[q]! / all;
    if (cumulative > target) return m * n - q;
    q++;
  }
}
