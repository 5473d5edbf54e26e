import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flotilla } from '../helpers/cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/canary/${name}`, import.meta.url));
const CONFIG = fixture('checkout-canary.json');

interface JudgementJson {
  score: number;
  verdict: string;
  inconclusive: boolean;
  thresholds: { pass: number; marginal: number };
  metrics: { name: string; classification: string }[];
}

/** `flotilla judge` as a script sees it: the built CLI, real files, exit codes and streams. */
describe('flotilla judge', () => {
  it('exits 0 on a pass and prints the metric table', async () => {
    const result = await flotilla(['judge', '--config', CONFIG, '--data', fixture('samples-pass.json')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^latency_p50\s+Pass\s/m);
    expect(result.stdout).toContain('verdict: PASS, score 100 (pass >= 95, marginal >= 40)');
  });

  it('exits 1 on a marginal canary: latency High, errors Pass, weights 50:50 -> 50', async () => {
    const result = await flotilla(['judge', '--config', CONFIG, '--data', fixture('samples-slow.json'), '--json']);
    expect(result.code).toBe(1);
    const judgement = JSON.parse(result.stdout) as JudgementJson;
    expect(judgement).toMatchObject({ score: 50, verdict: 'marginal', inconclusive: false, thresholds: { pass: 95, marginal: 40 } });
    expect(judgement.metrics.map((metric) => [metric.name, metric.classification])).toEqual([
      ['latency_p50', 'High'],
      ['error_rate', 'Pass'],
    ]);
  });

  it('--pass and --marginal override the config: the same samples fail', async () => {
    const result = await flotilla(['judge', '--config', CONFIG, '--data', fixture('samples-slow.json'), '--marginal', '75', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ score: 50, verdict: 'fail', thresholds: { pass: 95, marginal: 75 } });
  });

  it('exits 1 on missing data: inconclusive is never a pass', async () => {
    const result = await flotilla(['judge', '--config', CONFIG, '--data', fixture('samples-empty.json'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ score: 0, verdict: 'fail', inconclusive: true });
  });

  it.each([
    ['a typo in the config, located', ['--config', fixture('canary-typo.json'), '--data', fixture('samples-pass.json')], /^flotilla: .*canary-typo\.json:5:60 metrics\[0\]\.analysisConfigurations\.canary\.direction: Invalid option: expected one of "increase"\|"decrease"\|"either"$/m],
    ['a data file that does not exist', ['--config', CONFIG, '--data', fixture('nope.json')], /^flotilla: --data: cannot read .*nope\.json: ENOENT/m],
    ['a threshold that is not a number', ['--config', CONFIG, '--data', fixture('samples-pass.json'), '--pass', 'high'], /^flotilla: --pass must be a number between 0 and 100, not "high"$/m],
    ['thresholds out of order', ['--config', CONFIG, '--data', fixture('samples-pass.json'), '--pass', '50', '--marginal', '80'], /^flotilla: marginal: the marginal threshold \(80\) must not be above the pass threshold \(50\)$/m],
  ])('exits 2 on bad input: %s', async (_name, args, message) => {
    const result = await flotilla(['judge', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
