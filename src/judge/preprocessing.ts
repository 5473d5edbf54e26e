/**
 * Cleaning one side of a metric before the test: missing values, then (optionally) outliers.
 *
 * Why here and not in the metric source: Kayenta configs choose the strategy per metric (`nanStrategy`,
 * `outliers`), and the counts of what was dropped belong in the verdict's explanation.
 *
 * The result is sorted ascending: nothing downstream depends on the order of the points (means,
 * ranks, quantiles), and sorting once here serves the outlier fences, the identity check and the test.
 */

export type NanStrategy = 'remove' | 'replace';
export type OutlierStrategy = 'keep' | 'remove';

export interface PreprocessOptions {
  /** `remove` drops missing points; `replace` counts them as 0 (for counters that report nothing when idle). */
  nanStrategy: NanStrategy;
  outliers: { strategy: OutlierStrategy; /** Tukey's k; points beyond k * IQR outside the quartiles go. */ factor: number };
}

export const DEFAULT_OUTLIER_FACTOR = 3;

export interface PreparedSample {
  /** The values kept, ascending. */
  values: Float64Array;
  /** Points received, including missing ones. */
  received: number;
  /** Missing points (null, NaN, or infinite) — removed or replaced according to the strategy. */
  missing: number;
  /** Points removed as outliers. */
  outliers: number;
}

/**
 * The p-th percentile (0 < p <= 100) of ascending values, estimated as Apache Commons Math's
 * `StatUtils.percentile` does (position p * (n + 1) / 100, linear interpolation, clamped to the
 * extremes) — the estimator Kayenta's outlier detector uses, so the quartiles and fences match.
 */
export function percentile(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0]!;
  const position = (p * (n + 1)) / 100;
  if (position < 1) return sorted[0]!;
  if (position >= n) return sorted[n - 1]!;
  const whole = Math.floor(position);
  const lower = sorted[whole - 1]!;
  const upper = sorted[whole]!;
  return lower + (position - whole) * (upper - lower);
}

/** Tukey's fences `[Q1 - k * IQR, Q3 + k * IQR]` of ascending values. */
export function tukeyFences(sorted: Float64Array, factor: number): [number, number] {
  const q1 = percentile(sorted, 25);
  const q3 = percentile(sorted, 75);
  const iqr = q3 - q1;
  return [q1 - factor * iqr, q3 + factor * iqr];
}

/** Missing values handled, outliers removed if asked, ascending. Input `null` means a missing point. */
export function prepareSample(values: readonly (number | null)[], options: PreprocessOptions): PreparedSample {
  const kept = new Float64Array(values.length);
  let count = 0;
  let missing = 0;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      missing++;
      if (options.nanStrategy === 'replace') kept[count++] = 0;
      continue;
    }
    kept[count++] = value;
  }
  let sorted = kept.subarray(0, count);
  sorted.sort();

  let outliers = 0;
  if (options.outliers.strategy === 'remove' && sorted.length > 0) {
    const [low, high] = tukeyFences(sorted, options.outliers.factor);
    // The kept values form one contiguous run of the sorted array.
    let start = 0;
    while (start < sorted.length && sorted[start]! < low) start++;
    let end = sorted.length;
    while (end > start && sorted[end - 1]! > high) end--;
    outliers = sorted.length - (end - start);
    sorted = sorted.subarray(start, end);
  }
  return { values: sorted, received: values.length, missing, outliers };
}

/** Arithmetic mean, or NaN for an empty sample. */
export function mean(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
