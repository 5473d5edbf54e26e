import { describe, expect, it } from 'vitest';
import { brierScore, calibrationError, reliabilityTable } from './calibration.js';
import { fitLogistic, learnWeights, predict } from './learn.js';
import { solveLinear } from './math/solve-linear.js';
import { SIGNAL_IDS } from './signal.js';
import { SYNTHETIC_SEED, SYNTHETIC_TRUTH, syntheticHistory } from './testing/synthetic-history.js';
import { DEFAULT_WEIGHTS } from './weights.js';

const TRUTH = SYNTHETIC_TRUTH;
const SEED = SYNTHETIC_SEED;

describe('solving the Newton systems', () => {
  it('solves a small system that needs pivoting', () => {
    const x = solveLinear(
      [
        [0, 2, 1],
        [1, 1, 1],
        [2, 1, 3],
      ],
      [7, 6, 13],
    );
    expect(x.map((value) => Math.round(value * 1e9) / 1e9)).toEqual([1, 2, 3]);
    expect(() => solveLinear([[0]], [1])).toThrow(RangeError);
  });
});

describe('fitting the weights to recorded outcomes', () => {
  it('fits a one-feature logistic model to the known maximum-likelihood answer', () => {
    // Two groups: x = -1 with 1 of 4 safe, x = +1 with 3 of 4 safe → MLE bias 0, weight ln 3.
    const rows = [[-1], [-1], [-1], [-1], [1], [1], [1], [1]];
    const outcomes = [1, 0, 0, 0, 1, 1, 1, 0];
    const fit = fitLogistic(rows, outcomes, [0, 0], { lambda: 1e-9 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(0, 6);
    expect(fit.coefficients[1]).toBeCloseTo(Math.log(3), 6);
  });

  it('keeps the prior for a signal the data never saw, and needs 50 outcomes before it learns anything', () => {
    const history = syntheticHistory(TRUTH, 400, SEED).map((sample) => ({ ...sample, features: { ...sample.features, canary: 0 } }));
    const learned = learnWeights(history, DEFAULT_WEIGHTS);
    expect(learned?.weights.signals.canary).toBeCloseTo(DEFAULT_WEIGHTS.signals.canary, 10);
    expect(learnWeights(history.slice(0, 49), DEFAULT_WEIGHTS)).toBeUndefined();
  });

  it('recovers the true weights from 2,000 synthetic outcomes and is calibrated where the defaults are not', () => {
    const history = syntheticHistory(TRUTH, 2000, SEED);
    const learned = learnWeights(history, DEFAULT_WEIGHTS, { lambda: 1 });
    if (!learned) throw new Error('expected a fit');
    expect(learned.converged).toBe(true);
    expect(learned.outcomes).toBe(2000);
    // With 2,000 outcomes a weight's standard error is about 0.15 (0.25 for the canary, which has evidence on a
    // third of the targets): each weight within 0.4 of the truth and the average error under 0.2.
    const errors = [learned.weights.bias - TRUTH.bias, ...SIGNAL_IDS.map((id) => learned.weights.signals[id] - TRUTH.signals[id])].map(Math.abs);
    for (const [index, error] of errors.entries()) expect(error, ['bias', ...SIGNAL_IDS][index]).toBeLessThan(0.4);
    expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.2);

    const fitted = history.map((sample) => ({ probability: predict(learned.weights, sample.features), safe: sample.safe }));
    const defaults = history.map((sample) => ({ probability: predict(DEFAULT_WEIGHTS, sample.features), safe: sample.safe }));
    const ideal = history.map((sample) => ({ probability: sample.trueProbability, safe: sample.safe }));
    const brier = { fitted: brierScore(fitted), defaults: brierScore(defaults), ideal: brierScore(ideal) };
    // The fit is as good as knowing the true model, and better than the hand-set defaults on this history.
    expect(Math.abs(brier.fitted - brier.ideal)).toBeLessThan(0.005);
    expect(brier.fitted).toBeLessThan(brier.defaults);

    const table = reliabilityTable(fitted);
    expect(table.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2000);
    for (const bucket of table.filter((candidate) => candidate.count >= 100)) expect(Math.abs(bucket.predicted - bucket.observed)).toBeLessThan(0.06);
    expect(calibrationError(table)).toBeLessThan(0.03);
    expect(calibrationError(reliabilityTable(defaults))).toBeGreaterThan(calibrationError(table));
  });
});

describe('calibration measures', () => {
  it('scores perfect, coin-flip and confidently wrong predictions', () => {
    expect(brierScore([{ probability: 1, safe: 1 }, { probability: 0, safe: 0 }])).toBe(0);
    expect(brierScore([{ probability: 0.5, safe: 1 }, { probability: 0.5, safe: 0 }])).toBe(0.25);
    expect(brierScore([{ probability: 0.9, safe: 0 }])).toBeCloseTo(0.81, 12);
    expect(Number.isNaN(brierScore([]))).toBe(true);
  });

  it('buckets predictions by probability, the last bucket including 1', () => {
    const table = reliabilityTable([
      { probability: 0.92, safe: 1 },
      { probability: 0.98, safe: 0 },
      { probability: 1, safe: 1 },
      { probability: 0.05, safe: 0 },
    ]);
    expect(table).toHaveLength(10);
    expect(table[9]).toMatchObject({ from: 0.9, to: 1, count: 3 });
    expect(table[9]?.predicted).toBeCloseTo((0.92 + 0.98 + 1) / 3, 12);
    expect(table[9]?.observed).toBeCloseTo(2 / 3, 12);
    expect(table[0]).toMatchObject({ count: 1, observed: 0 });
    expect(table[5]?.count).toBe(0);
  });
});
