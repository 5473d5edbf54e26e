/** A prediction next to what happened. */
export interface Prediction {
  probability: number;
  /** 1 when the change turned out safe. */
  safe: 0 | 1;
}

/** The Brier score: mean squared distance between predicted probability and outcome (0 is perfect, 0.25 is a coin). */
export function brierScore(predictions: readonly Prediction[]): number {
  if (predictions.length === 0) return Number.NaN;
  let sum = 0;
  for (const prediction of predictions) sum += (prediction.probability - prediction.safe) ** 2;
  return sum / predictions.length;
}

export interface ReliabilityBucket {
  /** [from, to) — the last bucket includes 1. */
  from: number;
  to: number;
  count: number;
  /** Mean predicted probability in the bucket (NaN when empty). */
  predicted: number;
  /** Share that turned out safe (NaN when empty). */
  observed: number;
}

/**
 * The reliability table: predictions grouped by probability, each bucket's mean prediction beside the
 * share that turned out safe. A calibrated model has them equal — "0.9" means nine in ten.
 */
export function reliabilityTable(predictions: readonly Prediction[], buckets = 10): ReliabilityBucket[] {
  const table = Array.from({ length: buckets }, (_, index) => ({ from: index / buckets, to: (index + 1) / buckets, count: 0, sumPredicted: 0, safe: 0 }));
  for (const prediction of predictions) {
    const index = Math.min(buckets - 1, Math.max(0, Math.floor(prediction.probability * buckets)));
    const bucket = table[index];
    if (!bucket) continue;
    bucket.count += 1;
    bucket.sumPredicted += prediction.probability;
    bucket.safe += prediction.safe;
  }
  return table.map((bucket) => ({
    from: bucket.from,
    to: bucket.to,
    count: bucket.count,
    predicted: bucket.count === 0 ? Number.NaN : bucket.sumPredicted / bucket.count,
    observed: bucket.count === 0 ? Number.NaN : bucket.safe / bucket.count,
  }));
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed across buckets. */
export function calibrationError(table: readonly ReliabilityBucket[]): number {
  let total = 0;
  let gap = 0;
  for (const bucket of table) {
    if (bucket.count === 0) continue;
    total += bucket.count;
    gap += bucket.count * Math.abs(bucket.predicted - bucket.observed);
  }
  return total === 0 ? Number.NaN : gap / total;
}
