import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFlotillaError } from '../model/errors.js';
import { defineMetric, type CanaryConfig } from './canary-config.js';
import { judgeCanary, resolveScoreThresholds, type CanaryData } from './judge-canary.js';
import { parseKayentaConfig } from './kayenta-config.js';

const fixtureConfig = parseKayentaConfig(JSON.parse(readFileSync(new URL('../../test/fixtures/judge/canary-config.json', import.meta.url), 'utf8')));
const fixtureData = JSON.parse(readFileSync(new URL('../../test/fixtures/judge/canary-data.json', import.meta.url), 'utf8')) as CanaryData;

/** Same generator as the Wilcoxon fixtures: 60 vs 55 points, experiment higher by about 1.4 (n >= 50, normal approximation). */
function gen(n: number, a: number, mod: number, div: number, base: number): number[] {
  return Array.from({ length: n }, (_, i) => base + ((i * a) % mod) / div);
}

function config(metrics: CanaryConfig['metrics'], groupWeights: Record<string, number> = {}): CanaryConfig {
  return { metrics, groupWeights, scoreThresholds: { pass: 95, marginal: 75 } };
}

describe('judgeCanary', () => {
  it('judges the Kayenta fixture: every scored metric passes, the muted one is High but not scored', () => {
    const judgement = judgeCanary(fixtureConfig, fixtureData);
    expect(judgement).toMatchObject({ score: 100, verdict: 'pass', inconclusive: false, groups: { errors: 100, latency: 100 } });
    expect(judgement.metrics.map((metric) => [metric.name, metric.classification])).toEqual([
      ['latency_p99', 'Pass'],
      ['error_rate', 'Pass'],
      ['throughput', 'Pass'],
      ['gc_pause', 'High'],
    ]);
    // throughput: the control's 500 is beyond Q3 + 3 IQR = 122 + 9 (Commons Math quartiles 119 and 122).
    expect(judgement.metrics[2]!.control).toMatchObject({ received: 7, used: 6, outliers: 1 });
  });

  it('judges n >= 50 with the normal approximation and finds the shift (interval from the reference fixture)', () => {
    const judgement = judgeCanary(config([defineMetric('latency', { direction: 'increase' })]), {
      metrics: { latency: { experiment: gen(60, 7919, 1009, 101, 10.5), control: gen(55, 6007, 1013, 103, 9.0) } },
    });
    expect(judgement.metrics[0]).toMatchObject({ classification: 'Pass', method: 'normal' });
    // Interval [0.0792, 2.764] does not clear the band ±0.25 * 1.4358 = ±0.359: Pass, as Kayenta would.
    expect(judgement.metrics[0]!.interval![0]).toBeCloseTo(0.07922999528928018, 10);
  });

  it('treats a configured metric without samples as Nodata and says so', () => {
    const judgement = judgeCanary(config([defineMetric('a'), defineMetric('b'), defineMetric('c')]), {
      metrics: { a: { control: [1, 2, 3], experiment: [1, 2, 3] }, b: { control: [1, 2], experiment: [2, 1] }, extra: { control: [1], experiment: [1] } },
    });
    expect(judgement.metrics[2]).toMatchObject({ name: 'c', classification: 'Nodata' });
    expect(judgement.reasons).toContain('no samples given for: c');
    expect(judgement.reasons).toContain('ignored samples of metrics not in the config: extra');
    expect(judgement.verdict).toBe('pass');
  });

  it('is inconclusive when every side is empty or missing', () => {
    const judgement = judgeCanary(config([defineMetric('a'), defineMetric('b')]), { metrics: { a: { control: [null, null], experiment: [] } } });
    expect(judgement).toMatchObject({ score: 0, verdict: 'fail', inconclusive: true });
  });

  it('lets options override the thresholds', () => {
    const data: CanaryData = { metrics: { a: { control: [1, 2, 3], experiment: [1, 2, 3] }, b: { control: [10.2, 11.1, 10.8, 11.5, 10.9, 11.3, 10.4], experiment: [12.1, 13.4, 11.8, 14.2, 12.9, 13.7] } } };
    const both = config([defineMetric('a'), defineMetric('b')]);
    expect(judgeCanary(both, data).verdict).toBe('fail'); // 50
    expect(judgeCanary(both, data, { scoreThresholds: { pass: 60, marginal: 50 } }).verdict).toBe('marginal');
  });

  it('is deterministic: the same input gives the same judgement', () => {
    expect(judgeCanary(fixtureConfig, fixtureData)).toEqual(judgeCanary(fixtureConfig, fixtureData));
  });
});

describe('resolveScoreThresholds', () => {
  it.each([
    [{ pass: 101 }, 'pass'],
    [{ marginal: -1 }, 'marginal'],
    [{ pass: 50 }, 'marginal'],
    [{ pass: Number.NaN }, 'pass'],
  ])('rejects %j as bad input naming %s', (override, field) => {
    try {
      resolveScoreThresholds(fixtureConfig, override);
      expect.unreachable();
    } catch (error) {
      expect(isFlotillaError(error) && error.code).toBe('bad-input');
      expect(isFlotillaError(error) && error.location?.field).toBe(field);
    }
  });
});
