/**
 * Order statistics of the n*m pairwise differences `x_i - y_j` without building them.
 *
 * Why: the Hodges-Lehmann estimate is the median of those differences, and the exact confidence
 * interval takes two more of their order statistics. For 1,000 points a side that is a million numbers
 * per metric; this selection needs O(n + m) memory and expected O((n + m) log(n m)) time.
 *
 * Method (after Monahan, 1984, "Algorithm 616: fast computation of the Hodges-Lehmann location
 * estimator"): with x ascending and y descending, the matrix `x_i - y_j` is sorted along rows and
 * columns. Keep, per row, the window of columns that may still hold the answer; pick a pivot among the
 * remaining candidates; count the differences below and at the pivot with a staircase walk (O(n + m));
 * shrink every row's window to one side. The pivot is chosen with a fixed-seed generator, so results
 * are deterministic.
 */

/** A small deterministic generator (mulberry32); quality is ample for choosing pivots. */
function pivotGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The k-th smallest (1-based) of `x_i - y_j`, for `xSorted` and `ySorted` ascending. Each difference is
 * computed as `x_i - y_j` in floating point, exactly as R's `outer(x, y, "-")`.
 */
export function pairwiseDifferenceOrderStatistic(xSorted: Float64Array, ySorted: Float64Array, k: number): number {
  const n = xSorted.length;
  const m = ySorted.length;
  if (n === 0 || m === 0) throw new RangeError('both samples must be non-empty');
  if (!Number.isInteger(k) || k < 1 || k > n * m) throw new RangeError(`order ${k} is outside 1..${n * m}`);

  // Row i, column j holds x_i - yDescending[j]: ascending along each row and down each column.
  const yDescending = ySorted.slice().reverse();
  const difference = (i: number, j: number): number => xSorted[i]! - yDescending[j]!;
  const low = new Int32Array(n); // candidate columns of row i are [low[i], high[i])
  const high = new Int32Array(n).fill(m);
  const below = new Int32Array(n);
  const atOrBelow = new Int32Array(n);
  const random = pivotGenerator(0x5eed);

  for (;;) {
    let candidates = 0;
    for (let i = 0; i < n; i++) candidates += high[i]! - low[i]!;
    if (candidates === 0) throw new Error('pairwise selection lost its target (non-finite input?)');

    let pick = Math.floor(random() * candidates);
    let pivot = Number.NaN;
    for (let i = 0; i < n; i++) {
      const width = high[i]! - low[i]!;
      if (pick < width) {
        pivot = difference(i, low[i]! + pick);
        break;
      }
      pick -= width;
    }

    // Staircase: the count per row can only shrink as x grows, so each pointer only moves left.
    let countBelow = 0;
    let countAtOrBelow = 0;
    let jBelow = m;
    let jAtOrBelow = m;
    for (let i = 0; i < n; i++) {
      while (jBelow > 0 && difference(i, jBelow - 1) >= pivot) jBelow--;
      while (jAtOrBelow > 0 && difference(i, jAtOrBelow - 1) > pivot) jAtOrBelow--;
      below[i] = jBelow;
      atOrBelow[i] = jAtOrBelow;
      countBelow += jBelow;
      countAtOrBelow += jAtOrBelow;
    }

    if (k <= countBelow) {
      for (let i = 0; i < n; i++) high[i] = Math.min(high[i]!, below[i]!);
    } else if (k > countAtOrBelow) {
      for (let i = 0; i < n; i++) low[i] = Math.max(low[i]!, atOrBelow[i]!);
    } else {
      return pivot;
    }
  }
}

/**
 * The Hodges-Lehmann shift estimate: the median of all `x_i - y_j` (the mean of the two middle ones
 * when n*m is even, as R's `median`). Inputs ascending.
 */
export function hodgesLehmannShift(xSorted: Float64Array, ySorted: Float64Array): number {
  const count = xSorted.length * ySorted.length;
  const half = Math.floor(count / 2);
  if (count % 2 === 1) return pairwiseDifferenceOrderStatistic(xSorted, ySorted, half + 1);
  return (
    (pairwiseDifferenceOrderStatistic(xSorted, ySorted, half) + pairwiseDifferenceOrderStatistic(xSorted, ySorted, half + 1)) / 2
  );
}
