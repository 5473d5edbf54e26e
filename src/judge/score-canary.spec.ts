import { describe, expect, it } from 'vitest';
import type { MetricClassification, MetricResult } from './classify-metric.js';
import { groupWeightsFor, scoreCanary, verdictFor } from './score-canary.js';

const THRESHOLDS = { pass: 95, marginal: 75 };

function result(name: string, classification: MetricClassification, extra: Partial<MetricResult> = {}): MetricResult {
  const sample = { received: 0, used: 0, missing: 0, outliers: 0, mean: null };
  return {
    name,
    groups: ['a'],
    classification,
    critical: false,
    criticalFailure: false,
    muted: false,
    direction: 'either',
    estimate: null,
    interval: null,
    toleranceBand: null,
    effectSize: null,
    effectSizeMeasure: 'meanRatio',
    pValue: null,
    method: null,
    confidenceLevel: null,
    control: sample,
    experiment: sample,
    reason: `${name} reason`,
    ...extra,
  };
}
const inB = { groups: ['b'] };
const inC = { groups: ['c'] };

describe('scoreCanary', () => {
  it.each<[string, MetricResult[], Record<string, number>, number, string, Record<string, number>]>([
    ['group share, equal weights: a 2/3, b 1 -> (66.67 + 100) / 2', [result('1', 'Pass'), result('2', 'Pass'), result('3', 'High'), result('4', 'Pass', inB)], {}, 83.33, 'marginal', { a: 66.67, b: 100 }],
    ['weights 75/25: 66.67 * 0.75 + 100 * 0.25 = 75, marginal is inclusive', [result('1', 'Pass'), result('2', 'Pass'), result('3', 'Low'), result('4', 'Pass', inB)], { a: 75, b: 25 }, 75, 'marginal', { a: 66.67, b: 100 }],
    ['unweighted groups share the rest: a 60, b and c 20 each: 50 * 0.6 + 100 * 0.2 + 50 * 0.2 = 60', [result('1', 'Pass'), result('2', 'Low'), result('3', 'Pass', inB), result('4', 'NodataFailMetric', inC), result('5', 'Pass', inC)], { a: 60 }, 60, 'fail', { a: 50, b: 100, c: 50 }],
    ['weights are normalised: 30/30 of 100 -> (50 + 100) / 2', [result('1', 'Pass'), result('2', 'High'), result('3', 'Pass', inB)], { a: 30, b: 30 }, 75, 'marginal', { a: 50, b: 100 }],
    ['weights of absent groups still use up the 100 (Kayenta): b gets 0', [result('1', 'Pass'), result('2', 'High'), result('3', 'Pass', inB)], { a: 50, z: 50 }, 50, 'fail', { a: 50, b: 100 }],
    ['all weights 0: groups weighted equally', [result('1', 'Pass'), result('2', 'High'), result('3', 'Pass', inB)], { a: 0, b: 0 }, 75, 'marginal', { a: 50, b: 100 }],
    ['NodataFailMetric and Error count against their group', [result('1', 'Pass'), result('2', 'Error'), result('3', 'Pass'), result('4', 'NodataFailMetric')], {}, 50, 'fail', { a: 50 }],
    ['Nodata is left out of its group (1 of 3 metrics: not sparse)', [result('1', 'Pass'), result('2', 'Nodata'), result('3', 'Pass')], {}, 100, 'pass', { a: 100 }],
    ['a group with only Nodata is left out of the score', [result('1', 'Pass'), result('2', 'Pass'), result('3', 'Pass'), result('4', 'Nodata', inB)], {}, 100, 'pass', { a: 100 }],
    ['a metric in two groups counts in both', [result('1', 'High', { groups: ['a', 'b'] }), result('2', 'Pass'), result('3', 'Pass', inB)], {}, 50, 'fail', { a: 50, b: 50 }],
    ['ungrouped metrics score in the default group', [result('1', 'Pass', { groups: [] }), result('2', 'High', { groups: [] })], {}, 50, 'fail', { default: 50 }],
    ['muted metrics are not scored', [result('1', 'Pass'), result('2', 'High', { muted: true })], {}, 100, 'pass', { a: 100 }],
    ['a muted critical failure does not fail the run', [result('1', 'Pass'), result('2', 'High', { muted: true, critical: true, criticalFailure: true })], {}, 100, 'pass', { a: 100 }],
    ['rounded to two decimals (1/3 -> 33.33)', [result('1', 'Pass'), result('2', 'High'), result('3', 'Low')], {}, 33.33, 'fail', { a: 33.33 }],
  ])('%s', (_label, results, weights, score, verdict, groups) => {
    const scored = scoreCanary(results, weights, THRESHOLDS);
    expect(scored).toMatchObject({ score, verdict, inconclusive: false, groups });
  });

  it.each<[string, MetricResult[]]>([
    ['High beyond its critical threshold', [result('1', 'Pass'), result('2', 'Pass'), result('cpu', 'High', { critical: true, criticalFailure: true })]],
    ['Error on a critical metric', [result('1', 'Pass'), result('cpu', 'Error', { critical: true, criticalFailure: true })]],
    ['Nodata on a critical metric', [result('1', 'Pass'), result('2', 'Pass'), result('cpu', 'Nodata', { critical: true, criticalFailure: true })]],
  ])('a critical failure zeroes the score: %s', (_label, results) => {
    const scored = scoreCanary(results, {}, THRESHOLDS);
    expect(scored).toMatchObject({ score: 0, verdict: 'fail', inconclusive: false });
    expect(scored.reasons.join('\n')).toMatch(/critical metric cpu is (High|Error|Nodata): cpu reason/);
  });

  it.each<[string, MetricResult[]]>([
    ['half Nodata (2 of 4)', [result('1', 'Pass'), result('2', 'Pass'), result('3', 'Nodata'), result('4', 'Nodata')]],
    ['half missing with mustHaveData (2 NodataFailMetric of 4)', [result('1', 'Pass'), result('2', 'Pass'), result('3', 'NodataFailMetric'), result('4', 'NodataFailMetric')]],
    ['all Nodata', [result('1', 'Nodata'), result('2', 'Nodata')]],
    ['all metrics muted', [result('1', 'Pass', { muted: true })]],
    ['no metrics', []],
  ])('sparse data zeroes the score and is inconclusive, never a silent pass: %s', (_label, results) => {
    const scored = scoreCanary(results, {}, THRESHOLDS);
    expect(scored).toMatchObject({ score: 0, verdict: 'fail', inconclusive: true });
    expect(scored.reasons.join('\n')).toMatch(/inconclusive/);
  });

  it('a critical regression is a failure, not inconclusive, even when most data is missing', () => {
    const scored = scoreCanary([result('cpu', 'High', { critical: true, criticalFailure: true }), result('2', 'Nodata'), result('3', 'Nodata')], {}, THRESHOLDS);
    expect(scored).toMatchObject({ score: 0, verdict: 'fail', inconclusive: false });
  });

  it('a critical metric without data, among mostly missing data, is inconclusive (and named)', () => {
    const scored = scoreCanary([result('cpu', 'Nodata', { critical: true, criticalFailure: true }), result('2', 'Nodata'), result('3', 'Pass')], {}, THRESHOLDS);
    expect(scored).toMatchObject({ score: 0, verdict: 'fail', inconclusive: true });
    expect(scored.reasons[0]).toBe('critical metric cpu is Nodata: cpu reason');
  });

  it('explains itself', () => {
    const scored = scoreCanary([result('1', 'Pass'), result('2', 'Nodata', inB), result('3', 'Pass', { muted: true }), result('4', 'Pass')], {}, THRESHOLDS);
    expect(scored.reasons).toEqual(['1 muted metric(s) not scored', 'group(s) without data, left out of the score: b', 'score 100: pass (pass >= 95, marginal >= 75)']);
  });
});

describe('verdictFor and groupWeightsFor', () => {
  it.each([
    [100, 'pass'],
    [95, 'pass'],
    [94.99, 'marginal'],
    [75, 'marginal'],
    [74.99, 'fail'],
    [0, 'fail'],
  ])('score %s is %s', (score, verdict) => {
    expect(verdictFor(score, THRESHOLDS)).toBe(verdict);
  });

  it('shares what is left of 100 among unweighted groups, never below 0', () => {
    expect(Object.fromEntries(groupWeightsFor(['a', 'b', 'c'], { a: 50 }))).toEqual({ a: 50, b: 25, c: 25 });
    expect(Object.fromEntries(groupWeightsFor(['a', 'b'], { a: 150 }))).toEqual({ a: 150, b: 0 });
  });
});
