/**
 * Ranks of two sorted samples pooled together, in one O(n + m) merge.
 *
 * Why a merge and not a sort: R's asymptotic interval evaluates the rank statistic of `x - d` against
 * `y` for many shifts d. With both samples sorted once, `x - d` stays sorted (floating-point
 * subtraction is monotone), so each evaluation is a linear merge instead of an O(N log N) `rank()`.
 * Ties get the average rank, as R's `rank()` gives them; equality is exact floating-point equality,
 * also as in R.
 */

export interface PooledRanks {
  /** Sum of the (average) ranks of the x values in the pooled sample. */
  rankSumX: number;
  /** Sum over groups of tied values of t^3 - t (t = group size); 0 when there are no ties. */
  tieTerm: number;
}

/** Sum of t^3 - t over the groups of equal values in one ascending sample. */
export function tieTermOf(sorted: Float64Array): number {
  let term = 0;
  let k = 0;
  while (k < sorted.length) {
    const value = sorted[k]!;
    let t = 0;
    while (k < sorted.length && sorted[k] === value) {
      k++;
      t++;
    }
    if (t > 1) term += t * t * t - t;
  }
  return term;
}

/**
 * Ranks of `xSorted - shift` pooled with `ySorted`; both inputs ascending. `yTieTerm` is
 * `tieTermOf(ySorted)`; pass it when calling many times with the same y.
 *
 * Walks the groups of equal shifted x values only: a group of a x's at value v, with b y's equal to v
 * and `less` pooled values below v, has average rank `less + (a + b + 1) / 2`, and turns the y group's
 * b^3 - b into (a + b)^3 - (a + b). The y pointer only moves forward, so a call is O(n + m).
 */
export function pooledRanks(xSorted: Float64Array, ySorted: Float64Array, shift = 0, yTieTerm = tieTermOf(ySorted)): PooledRanks {
  const nx = xSorted.length;
  const ny = ySorted.length;
  let rankSumX = 0;
  let tieTerm = yTieTerm;
  let i = 0;
  let j = 0;
  while (i < nx) {
    const value = xSorted[i]! - shift;
    let a = 1;
    while (i + a < nx && xSorted[i + a]! - shift === value) a++;
    while (j < ny && ySorted[j]! < value) j++;
    const less = i + j;
    let b = 0;
    while (j < ny && ySorted[j] === value) {
      j++;
      b++;
    }
    rankSumX += a * (less + (a + b + 1) / 2);
    const t = a + b;
    if (t > 1) tieTerm += t * t * t - t - (b * b * b - b);
    i += a;
  }
  return { rankSumX, tieTerm };
}

/**
 * The Mann-Whitney statistic of x against y: the number of pairs with x > y, ties counting one half.
 * This is R's `W` and SciPy's `U1` for `mannwhitneyu(x, y)`.
 */
export function mannWhitneyU(xSorted: Float64Array, ySorted: Float64Array, shift = 0): number {
  const nx = xSorted.length;
  return pooledRanks(xSorted, ySorted, shift).rankSumX - (nx * (nx + 1)) / 2;
}

/** Numeric ascending copy of finite values; the judge's samples are sorted once and reused. */
export function sortedSample(values: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(values);
  sorted.sort();
  return sorted;
}
