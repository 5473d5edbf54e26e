/**
 * The two-sample Wilcoxon rank-sum (Mann-Whitney U) test with the Hodges-Lehmann estimate of the
 * location shift and its confidence interval, computed as R's
 * `wilcox.test(x, y, conf.int = TRUE, conf.level = 0.98)` computes them (the classic algorithm of
 * `wilcox.test.default`, with `exact = NULL`, `correct = TRUE`, `tol.root = 1e-4`).
 *
 * - Both samples under 50 values and no ties anywhere: the exact distribution of U. The interval is
 *   `(d[qu], d[nm - qu + 1])` over the sorted pairwise differences d, with `qu = qwilcox(alpha/2)`; the
 *   estimate is the median of d.
 * - Otherwise the normal approximation with the tie correction of the variance and the continuity
 *   correction. Each bound is the root of `W(shift) = z` found by Brent's method between
 *   `min(x) - max(y)` and `max(x) - min(y)`; the estimate is the root of `W(shift) = 0` without the
 *   continuity correction.
 *
 * Kayenta passes the experiment as x and the control as y, so a positive shift means the experiment is
 * higher. One case R refuses (both samples constant): we return the exact shift instead, see
 * `degenerate` below.
 */
import { normalCdf, normalQuantile } from './normal-distribution.js';
import { pairwiseDifferenceOrderStatistic } from './pairwise-differences.js';
import { pooledRanks, sortedSample, tieTermOf } from './rank-sum.js';
import { brentRoot } from './root-finding.js';
import { wilcoxonCdf, wilcoxonQuantile } from './wilcoxon-distribution.js';

export type WilcoxonMethod = 'exact' | 'normal' | 'degenerate';

export interface WilcoxonResult {
  /** R's W: the Mann-Whitney U of x (pairs with x > y, ties counting one half). */
  statistic: number;
  /** Two-sided p-value for "no shift". */
  pValue: number;
  /** Hodges-Lehmann estimate of the shift x - y. */
  estimate: number;
  lower: number;
  upper: number;
  /** The confidence level the interval has: lower than requested when small samples cannot reach it. */
  confidenceLevel: number;
  method: WilcoxonMethod;
  /** Whether any two pooled values are equal. */
  ties: boolean;
  /** False when Brent's method hit its iteration limit (R warns; the numbers are still its numbers). */
  converged: boolean;
}

export interface WilcoxonOptions {
  /** Default 0.98, as Kayenta. */
  confidenceLevel?: number;
  /** Use the exact distribution when possible (R's `exact = NULL`); false forces the approximation. */
  exact?: boolean;
}

const ROOT_TOLERANCE = 1e-4;

/** The test on unsorted samples; see {@link wilcoxonTestSorted}. */
export function wilcoxonTest(x: ArrayLike<number>, y: ArrayLike<number>, options: WilcoxonOptions = {}): WilcoxonResult {
  return wilcoxonTestSorted(sortedSample(x), sortedSample(y), options);
}

/** The test on samples already sorted ascending, finite, and non-empty. */
export function wilcoxonTestSorted(xs: Float64Array, ys: Float64Array, options: WilcoxonOptions = {}): WilcoxonResult {
  const confidenceLevel = options.confidenceLevel ?? 0.98;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError('confidence level must be between 0 and 1');
  const nx = xs.length;
  const ny = ys.length;
  if (nx === 0 || ny === 0) throw new RangeError('both samples must be non-empty');
  for (const sample of [xs, ys]) {
    if (!Number.isFinite(sample[0]) || !Number.isFinite(sample[sample.length - 1])) {
      throw new RangeError('samples must be finite');
    }
  }

  const { rankSumX, tieTerm } = pooledRanks(xs, ys, 0);
  const statistic = rankSumX - (nx * (nx + 1)) / 2;
  const ties = tieTerm > 0;
  const alpha = 1 - confidenceLevel;

  if ((options.exact ?? true) && nx < 50 && ny < 50 && !ties) {
    return exactTest(xs, ys, statistic, alpha, confidenceLevel);
  }
  return normalTest(xs, ys, statistic, tieTerm, alpha, confidenceLevel);
}

function exactTest(xs: Float64Array, ys: Float64Array, statistic: number, alpha: number, confidenceLevel: number): WilcoxonResult {
  const nx = xs.length;
  const ny = ys.length;
  const tail = statistic > (nx * ny) / 2 ? wilcoxonCdf(statistic - 1, nx, ny, true) : wilcoxonCdf(statistic, nx, ny);
  const pValue = Math.min(2 * tail, 1);

  let qu = wilcoxonQuantile(alpha / 2, nx, ny);
  if (qu === 0) qu = 1;
  const ql = nx * ny - qu;
  const achievedAlpha = 2 * wilcoxonCdf(Math.trunc(qu) - 1, nx, ny);
  const count = nx * ny;
  const half = Math.floor(count / 2);
  const estimate =
    count % 2 === 1
      ? pairwiseDifferenceOrderStatistic(xs, ys, half + 1)
      : (pairwiseDifferenceOrderStatistic(xs, ys, half) + pairwiseDifferenceOrderStatistic(xs, ys, half + 1)) / 2;
  return {
    statistic,
    pValue,
    estimate,
    lower: pairwiseDifferenceOrderStatistic(xs, ys, qu),
    upper: pairwiseDifferenceOrderStatistic(xs, ys, ql + 1),
    // R reports the achieved level when it falls short by more than half of alpha.
    confidenceLevel: achievedAlpha - alpha > alpha / 2 ? 1 - achievedAlpha : confidenceLevel,
    method: 'exact',
    ties: false,
    converged: true,
  };
}

function normalTest(
  xs: Float64Array,
  ys: Float64Array,
  statistic: number,
  tieTerm: number,
  alpha: number,
  confidenceLevel: number,
): WilcoxonResult {
  const nx = xs.length;
  const ny = ys.length;
  const sigmaOf = (tieSum: number): number => Math.sqrt(((nx * ny) / 12) * (nx + ny + 1 - tieSum / ((nx + ny) * (nx + ny - 1))));

  const z0 = statistic - (nx * ny) / 2;
  const z = (z0 - Math.sign(z0) * 0.5) / sigmaOf(tieTerm);
  const pValue = 2 * Math.min(normalCdf(z), normalCdf(z, true));
  const ties = tieTerm > 0;
  if (xs[0] === xs[nx - 1] && ys[0] === ys[ny - 1]) return degenerate(xs, ys, statistic, pValue, confidenceLevel);

  // R's W(d): the standardised rank statistic of x - d against y, with or without continuity correction.
  const yTieTerm = tieTermOf(ys);
  const rankStatistic = (shift: number): { dz: number; sigma: number } => {
    const ranks = pooledRanks(xs, ys, shift, yTieTerm);
    return { dz: ranks.rankSumX - (nx * (nx + 1)) / 2 - (nx * ny) / 2, sigma: sigmaOf(ranks.tieTerm) };
  };
  const standardise = ({ dz, sigma }: { dz: number; sigma: number }, correct: boolean): number =>
    (dz - (correct ? Math.sign(dz) * 0.5 : 0)) / sigma;
  const standardised = (shift: number, correct: boolean): number => standardise(rankStatistic(shift), correct);

  const muMin = xs[0]! - ys[ny - 1]!;
  const muMax = xs[nx - 1]! - ys[0]!;
  if (!Number.isFinite(muMin) || !Number.isFinite(muMax)) throw new RangeError('the differences between the samples overflow');
  // R evaluates the end points once per root; they do not change, so evaluate them once.
  const atMin = rankStatistic(muMin);
  const atMax = rankStatistic(muMax);
  let converged = true;

  const bound = (quantile: number): number => {
    const fLower = standardise(atMin, true) - quantile;
    if (fLower <= 0) return muMin;
    const fUpper = standardise(atMax, true) - quantile;
    if (fUpper >= 0) return muMax;
    const found = brentRoot((d) => standardised(d, true) - quantile, muMin, muMax, fLower, fUpper, ROOT_TOLERANCE);
    converged &&= found.converged;
    return found.root;
  };
  const lower = bound(normalQuantile(alpha / 2, true));
  const upper = bound(normalQuantile(alpha / 2));

  const fLower = standardise(atMin, false);
  const fUpper = standardise(atMax, false);
  if (!(fLower * fUpper <= 0)) throw new RangeError('the rank statistic does not change sign over the range of shifts');
  const estimate = brentRoot((d) => standardised(d, false), muMin, muMax, fLower, fUpper, ROOT_TOLERANCE);
  converged &&= estimate.converged;

  return { statistic, pValue, estimate: estimate.root, lower, upper, confidenceLevel, method: 'normal', ties, converged };
}

/**
 * Both samples constant (and, since the judge checks identity first, different). Every rank is tied at
 * the true shift, the variance is zero, and R stops with "cannot compute confidence interval when all
 * observations are tied"; Kayenta adds random noise to dodge this. The shift is known exactly, so we
 * return it as both estimate and interval: deterministic, and what the noise approximates. The p-value
 * (at shift 0, where the samples do differ) is R's.
 */
function degenerate(xs: Float64Array, ys: Float64Array, statistic: number, pValue: number, confidenceLevel: number): WilcoxonResult {
  const shift = xs[0]! - ys[0]!;
  return {
    statistic,
    pValue,
    estimate: shift,
    lower: shift,
    upper: shift,
    confidenceLevel,
    method: 'degenerate',
    ties: true,
    converged: true,
  };
}
