import { describe, expect, it } from 'vitest';
import { defineMetric, type MetricConfig } from './canary-config.js';
import { classifyMetric, type MetricClassification, type MetricSamples } from './classify-metric.js';
import { defaultEffectSizeThresholds } from './effect-size.js';

/*
 * The "up" pair is the exact-method fixture of wilcoxon-test.spec.ts (6 vs 7 values, no ties):
 * estimate 2.15, 98% interval [0.8, 3.3] (R's method, checked in Python), tolerance band
 * 0.25 * 2.15 = ±0.5375, so the interval clears it: High. Means 13.01667 and 10.88571: mean ratio
 * 1.1957567804024498 (NumPy); every experiment point is above every control point: CLES 1.
 * "down" swaps the sides: interval [-3.3, -0.8], mean ratio 0.8362904700932869.
 * "overlap" is the 9 vs 8 fixture: interval [-0.66, 1.282] contains 0: Pass.
 */
const EXPERIMENT_UP = [12.1, 13.4, 11.8, 14.2, 12.9, 13.7];
const CONTROL_UP = [10.2, 11.1, 10.8, 11.5, 10.9, 11.3, 10.4];
const up: MetricSamples = { control: CONTROL_UP, experiment: EXPERIMENT_UP };
const down: MetricSamples = { control: EXPERIMENT_UP, experiment: CONTROL_UP };
const overlap: MetricSamples = { control: [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 3.14, 1.17], experiment: [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3] };
const empty: MetricSamples = { control: [], experiment: [1, 2, 3] };

function metric(overrides: Partial<Omit<MetricConfig, 'name'>> = {}): MetricConfig {
  return defineMetric('latency', overrides);
}
const effect = (overrides: Partial<MetricConfig['effectSize']>): MetricConfig['effectSize'] => ({ ...defaultEffectSizeThresholds(), ...overrides });

interface Case {
  label: string;
  config: MetricConfig;
  samples: MetricSamples;
  classification: MetricClassification;
  criticalFailure: boolean;
  reason: RegExp;
}

const CASES: Case[] = [
  { label: 'interval overlapping the band passes', config: metric(), samples: overlap, classification: 'Pass', criticalFailure: false, reason: /overlaps the band/ },
  { label: 'increase, direction either: High', config: metric(), samples: up, classification: 'High', criticalFailure: false, reason: /^experiment higher: shift interval \[0\.8, 3\.3\] is above the band ±0\.5375, meanRatio 1\.196$/ },
  { label: 'increase, direction increase: High', config: metric({ direction: 'increase' }), samples: up, classification: 'High', criticalFailure: false, reason: /higher/ },
  { label: 'decrease, direction either: Low', config: metric(), samples: down, classification: 'Low', criticalFailure: false, reason: /^experiment lower: shift interval \[-3\.3, -0\.8\] is below the band ±0\.5375, meanRatio 0\.8363$/ },
  { label: 'decrease, direction decrease: Low', config: metric({ direction: 'decrease' }), samples: down, classification: 'Low', criticalFailure: false, reason: /lower/ },
  { label: 'decrease, direction increase: Pass', config: metric({ direction: 'increase' }), samples: down, classification: 'Pass', criticalFailure: false, reason: /shows a decrease, which direction 'increase' allows/ },
  { label: 'increase, direction decrease: Pass', config: metric({ direction: 'decrease' }), samples: up, classification: 'Pass', criticalFailure: false, reason: /shows an increase, which direction 'decrease' allows/ },
  { label: 'increase under the allowed increase (1.196 < 1.25): Pass', config: metric({ effectSize: effect({ allowedIncrease: 1.25 }) }), samples: up, classification: 'Pass', criticalFailure: false, reason: /under the allowed increase 1\.25/ },
  { label: 'increase at the allowed increase (1.196 >= 1.19): High', config: metric({ effectSize: effect({ allowedIncrease: 1.19 }) }), samples: up, classification: 'High', criticalFailure: false, reason: /higher/ },
  { label: 'decrease over the allowed decrease (0.836 > 0.8): Pass', config: metric({ effectSize: effect({ allowedDecrease: 0.8 }) }), samples: down, classification: 'Pass', criticalFailure: false, reason: /over the allowed decrease 0\.8/ },
  { label: 'critical High beyond the critical increase (1.196 >= 1.1) fails the run', config: metric({ critical: true, effectSize: effect({ criticalIncrease: 1.1 }) }), samples: up, classification: 'High', criticalFailure: true, reason: /critical \(meanRatio 1\.196 >= 1\.1\): fails the run/ },
  { label: 'critical High under the critical increase (1.196 < 1.5) is an ordinary High', config: metric({ critical: true, effectSize: effect({ criticalIncrease: 1.5 }) }), samples: up, classification: 'High', criticalFailure: false, reason: /^experiment higher[^;]*$/ },
  { label: 'critical Low beyond the critical decrease (0.836 <= 0.9) fails the run', config: metric({ critical: true, effectSize: effect({ criticalDecrease: 0.9 }) }), samples: down, classification: 'Low', criticalFailure: true, reason: /critical \(meanRatio 0\.8363 <= 0\.9\)/ },
  { label: 'critical Low under the critical decrease (0.836 > 0.5) is an ordinary Low', config: metric({ critical: true, effectSize: effect({ criticalDecrease: 0.5 }) }), samples: down, classification: 'Low', criticalFailure: false, reason: /^experiment lower[^;]*$/ },
  { label: 'critical Pass does not fail', config: metric({ critical: true }), samples: overlap, classification: 'Pass', criticalFailure: false, reason: /overlaps/ },
  { label: 'no control data: Nodata', config: metric(), samples: empty, classification: 'Nodata', criticalFailure: false, reason: /^no data: 0 usable control and 3 usable experiment points$/ },
  { label: 'no data on a critical metric fails the run', config: metric({ critical: true }), samples: empty, classification: 'Nodata', criticalFailure: true, reason: /critical metric without data fails the run/ },
  { label: 'no data with mustHaveData: NodataFailMetric', config: metric({ mustHaveData: true }), samples: empty, classification: 'NodataFailMetric', criticalFailure: false, reason: /must have data/ },
  { label: 'all points missing, strategy remove: Nodata', config: metric(), samples: { control: [null, null], experiment: [null, 1] }, classification: 'Nodata', criticalFailure: false, reason: /0 usable control and 1 usable/ },
  { label: 'all points missing, strategy replace: zeros, identical: Pass', config: metric({ nanStrategy: 'replace' }), samples: { control: [null, null], experiment: [null, null] }, classification: 'Pass', criticalFailure: false, reason: /identical/ },
  { label: 'no points at all, strategy replace: still Nodata (Kayenta: Pass)', config: metric({ nanStrategy: 'replace' }), samples: { control: [], experiment: [] }, classification: 'Nodata', criticalFailure: false, reason: /no data/ },
  { label: 'identical samples pass', config: metric(), samples: { control: [3, 1, 2], experiment: [1, 2, 3] }, classification: 'Pass', criticalFailure: false, reason: /^control and experiment data are identical$/ },
  { label: 'one value everywhere passes', config: metric(), samples: { control: [4, 4], experiment: [4, 4, 4] }, classification: 'Pass', criticalFailure: false, reason: /overlaps the band ±0/ },
  { label: 'both sides constant and different: exact shift 2, High', config: metric(), samples: { control: [5, 5, 5], experiment: [7, 7, 7] }, classification: 'High', criticalFailure: false, reason: /\[2, 2\] is above the band ±0\.5/ },
  { label: 'control mean 0: no mean ratio, the gate is skipped (Kayenta)', config: metric({ effectSize: effect({ allowedIncrease: 5 }) }), samples: { control: [-1, 1, -2, 2, 0], experiment: [10, 11, 12, 13, 14] }, classification: 'High', criticalFailure: false, reason: /meanRatio n\/a/ },
  { label: 'critical with no effect size: fails the run ungated', config: metric({ critical: true, effectSize: effect({ criticalIncrease: 5 }) }), samples: { control: [-1, 1, -2, 2, 0], experiment: [10, 11, 12, 13, 14] }, classification: 'High', criticalFailure: true, reason: /fails the run/ },
  { label: 'CLES measure: 1 >= 0.9: High', config: metric({ effectSize: { ...defaultEffectSizeThresholds('cles'), allowedIncrease: 0.9 } }), samples: up, classification: 'High', criticalFailure: false, reason: /cles 1$/ },
  { label: 'differences overflow: Error', config: metric(), samples: { control: [-1.7e308, -1e308], experiment: [1e308, 1.5e308, 1.7e308, 1.7e308] }, classification: 'Error', criticalFailure: false, reason: /^could not be judged: the differences between the samples overflow$/ },
  { label: 'Error on a critical metric fails the run (Kayenta: does not)', config: metric({ critical: true }), samples: { control: [-1.7e308, -1e308], experiment: [1e308, 1.5e308, 1.7e308, 1.7e308] }, classification: 'Error', criticalFailure: true, reason: /critical metric in error fails the run/ },
  { label: 'muted metrics are still judged, and say so', config: metric({ muted: true }), samples: up, classification: 'High', criticalFailure: false, reason: /\(muted: not scored\)$/ },
];

describe('classifyMetric: every path', () => {
  it.each(CASES)('$label', ({ config, samples, classification, criticalFailure, reason }) => {
    const result = classifyMetric(config, samples);
    expect(result.classification).toBe(classification);
    expect(result.criticalFailure).toBe(criticalFailure);
    expect(result.reason).toMatch(reason);
  });
});

describe('classifyMetric: the numbers behind a verdict', () => {
  it('carries estimate, interval, band, effect size, counts and means', () => {
    const result = classifyMetric(metric(), { control: [...CONTROL_UP, null], experiment: EXPERIMENT_UP });
    expect(result).toMatchObject({
      name: 'latency',
      estimate: 2.1499999999999995,
      interval: [0.7999999999999989, 3.299999999999999],
      effectSizeMeasure: 'meanRatio',
      pValue: 0.0011655011655011655,
      method: 'exact',
      confidenceLevel: 0.98,
      control: { received: 8, used: 7, missing: 1, outliers: 0 },
      experiment: { received: 6, used: 6, missing: 0, outliers: 0 },
    });
    expect(result.toleranceBand![1]).toBeCloseTo(0.5375, 12);
    expect(result.effectSize).toBeCloseTo(1.1957567804024498, 14);
    expect(result.control.mean).toBeCloseTo(10.885714285714286, 12);
    expect(result.experiment.mean).toBeCloseTo(13.016666666666667, 12);
  });

  it.each([
    ['a tolerance of 0.4 widens the band to ±0.86, over the lower bound 0.8: Pass', 0.4, 'Pass'],
    ['a tolerance of 0.37 gives ±0.7955, under it: High', 0.37, 'High'],
  ])('%s', (_label, tolerance, classification) => {
    expect(classifyMetric(metric(), up, { tolerance }).classification).toBe(classification);
  });

  it('a lower confidence level narrows the interval (95%: qwilcox(0.025, 6, 7) = 7, the 7th and 36th differences: [1, 3.2], Python)', () => {
    const result = classifyMetric(metric(), up, { confidenceLevel: 0.95 });
    expect(result.interval![0]).toBeCloseTo(1, 12);
    expect(result.interval![1]).toBeCloseTo(3.2, 12);
  });

  it('counts outliers removed', () => {
    const result = classifyMetric(metric({ outliers: { strategy: 'remove', factor: 3 } }), { control: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], experiment: [1, 2, 3] });
    expect(result.control).toMatchObject({ received: 10, used: 9, outliers: 1 });
  });

  it('reports no numbers without data', () => {
    expect(classifyMetric(metric(), empty)).toMatchObject({ estimate: null, interval: null, effectSize: null, control: { mean: null } });
  });
});
