import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineMetric } from './canary-config.js';
import { kayentaConfigSchema, parseKayentaConfig } from './kayenta-config.js';

const fixture: unknown = JSON.parse(readFileSync(new URL('../../test/fixtures/judge/canary-config.json', import.meta.url), 'utf8'));

describe('parseKayentaConfig', () => {
  it('accepts a Kayenta export as is and reads every canary setting', () => {
    const config = parseKayentaConfig(fixture);
    expect(config.groupWeights).toEqual({ latency: 50, errors: 30 });
    expect(config.scoreThresholds).toEqual({ pass: 95, marginal: 75 });
    expect(config.metrics).toEqual([
      defineMetric('latency_p99', {
        groups: ['latency'],
        direction: 'increase',
        critical: true,
        effectSize: { measure: 'meanRatio', allowedIncrease: 1.1, allowedDecrease: 1, criticalIncrease: 1.5, criticalDecrease: 1 },
      }),
      defineMetric('error_rate', { groups: ['errors'], direction: 'increase', nanStrategy: 'replace', mustHaveData: true }),
      defineMetric('throughput', {
        groups: ['latency'],
        direction: 'decrease',
        outliers: { strategy: 'remove', factor: 3 },
        effectSize: { measure: 'cles', allowedIncrease: 0.5, allowedDecrease: 0.4, criticalIncrease: 0.5, criticalDecrease: 0.5 },
      }),
      defineMetric('gc_pause', { groups: ['system'], muted: true }),
    ]);
  });

  it("fills Kayenta's defaults for a bare metric", () => {
    const config = parseKayentaConfig({ metrics: [{ name: 'cpu' }] });
    expect(config).toEqual({ metrics: [defineMetric('cpu')], groupWeights: {}, scoreThresholds: { pass: 95, marginal: 75 } });
    expect(config.metrics[0]).toMatchObject({ direction: 'either', nanStrategy: 'remove', outliers: { strategy: 'keep', factor: 3 }, critical: false, mustHaveData: false, muted: false });
  });

  it('reads numbers and booleans written as strings, and null as absent', () => {
    const config = parseKayentaConfig({
      metrics: [{ name: 'cpu', groups: null, analysisConfigurations: { canary: { critical: 'true', mustHaveData: null, outliers: { strategy: 'remove', outlierFactor: '2.5' }, effectSize: { allowedIncrease: ' 1.2 ' } } } }],
      classifier: { groupWeights: { system: '60' }, scoreThresholds: null },
    });
    expect(config.metrics[0]).toMatchObject({ groups: [], critical: true, mustHaveData: false, outliers: { strategy: 'remove', factor: 2.5 }, effectSize: { allowedIncrease: 1.2 } });
    expect(config.groupWeights).toEqual({ system: 60 });
    expect(config.scoreThresholds).toEqual({ pass: 95, marginal: 75 });
  });

  it.each([
    ['a misspelt direction', { metrics: [{ name: 'a', analysisConfigurations: { canary: { direction: 'increse' } } }] }, 'metrics.0.analysisConfigurations.canary.direction', /expected one of "increase"\|"decrease"\|"either"/],
    ['an unknown NaN strategy', { metrics: [{ name: 'a', analysisConfigurations: { canary: { nanStrategy: 'none' } } }] }, 'metrics.0.analysisConfigurations.canary.nanStrategy', /remove/],
    ['an unknown effect-size measure', { metrics: [{ name: 'a', analysisConfigurations: { canary: { effectSize: { measure: 'cohenD' } } } }] }, 'metrics.0.analysisConfigurations.canary.effectSize.measure', /meanRatio/],
    ['an outlier factor of 0', { metrics: [{ name: 'a', analysisConfigurations: { canary: { outliers: { outlierFactor: 0 } } } }] }, 'metrics.0.analysisConfigurations.canary.outliers.outlierFactor', /0/],
    ['a non-numeric threshold', { metrics: [{ name: 'a', analysisConfigurations: { canary: { effectSize: { allowedIncrease: 'lots' } } } }] }, 'metrics.0.analysisConfigurations.canary.effectSize.allowedIncrease', /number/],
    ['a metric without a name', { metrics: [{ groups: ['a'] }] }, 'metrics.0.name', /string/],
    ['two metrics with one name', { metrics: [{ name: 'a' }, { name: 'a' }] }, 'metrics.1.name', /used twice/],
    ['no metrics', { metrics: [] }, 'metrics', /at least one metric/],
    ['a negative group weight', { metrics: [{ name: 'a' }], classifier: { groupWeights: { x: -1 } } }, 'classifier.groupWeights.x', />=0|0/],
    ['a pass threshold over 100', { metrics: [{ name: 'a' }], classifier: { scoreThresholds: { pass: 101 } } }, 'classifier.scoreThresholds.pass', /100/],
    ['marginal above pass', { metrics: [{ name: 'a' }], classifier: { scoreThresholds: { pass: 70, marginal: 80 } } }, 'classifier.scoreThresholds.marginal', /must not be above pass/],
  ])('rejects %s, naming the field', (_label, json, field, message) => {
    const parsed = kayentaConfigSchema.safeParse(json);
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues[0]!;
    expect(issue.path.join('.')).toBe(field);
    expect(issue.message).toMatch(message);
  });
});
