import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runJudgeCommand, type JudgeCommandInput } from './cli.js';

const configText = readFileSync(new URL('../../test/fixtures/judge/canary-config.json', import.meta.url), 'utf8');
const dataText = readFileSync(new URL('../../test/fixtures/judge/canary-data.json', import.meta.url), 'utf8');

function run(overrides: Partial<JudgeCommandInput> = {}): ReturnType<typeof runJudgeCommand> {
  return runJudgeCommand({ configText, configPath: 'canary.json', dataText, dataPath: 'data.json', json: true, ...overrides });
}

/** The fixture data with the experiment's latency raised by `delta`. */
function withLatencyShift(delta: number): string {
  const data = JSON.parse(dataText) as { metrics: Record<string, { experiment: (number | null)[] }> };
  data.metrics.latency_p99!.experiment = data.metrics.latency_p99!.experiment.map((value) => (value === null ? null : value + delta));
  return JSON.stringify(data);
}

describe('runJudgeCommand', () => {
  it('exits 0 on a pass and prints the JSON contract', () => {
    const result = run();
    expect(result.exitCode).toBe(0);
    const output = JSON.parse(result.output) as Record<string, unknown> & { metrics: Record<string, unknown>[] };
    expect(output).toMatchObject({ score: 100, verdict: 'pass', groups: { latency: 100, errors: 100 } });
    for (const metric of output.metrics) {
      expect(Object.keys(metric)).toEqual(expect.arrayContaining(['name', 'classification', 'critical', 'estimate', 'interval', 'effectSize', 'reason']));
    }
    expect(output.metrics[0]).toMatchObject({ name: 'latency_p99', classification: 'Pass', critical: true });
  });

  it('exits 1 on a fail: latency +5 is High (ratio 1.46 < critical 1.5), latency group 50, errors 100, weights 50:30 -> 68.75', () => {
    const result = run({ dataText: withLatencyShift(5) });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({ score: 68.75, verdict: 'fail', groups: { latency: 50, errors: 100 } });
  });

  it('exits 1 on a critical failure: latency +10 (ratio 1.92 >= 1.5) zeroes the score', () => {
    const result = run({ dataText: withLatencyShift(10) });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({ score: 0, verdict: 'fail', inconclusive: false });
  });

  it('exits 1 on a marginal score, with --pass and --marginal overriding the config', () => {
    const result = run({ dataText: withLatencyShift(5), pass: 90, marginal: 60 });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({ verdict: 'marginal', thresholds: { pass: 90, marginal: 60 } });
  });

  it('exits 1 when inconclusive', () => {
    const result = run({ dataText: '{"metrics": {}}' });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.output)).toMatchObject({ verdict: 'fail', inconclusive: true });
  });

  it('prints a table without --json', () => {
    const result = run({ json: false });
    const lines = result.output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^metric\s+class\s+critical\s+estimate\s+interval\s+effect\s+control\/exp n\s+reason$/);
    expect(lines[1]).toMatch(/^latency_p99\s+Pass\s+yes\s+0\.0999\s+\[-0\.6001, 0\.8\]\s+1\.006\s+7\/6\s+shift interval/);
    expect(lines).toContain('groups: errors 100, latency 100');
    expect(lines.at(-1)).toBe('verdict: PASS, score 100 (pass >= 95, marginal >= 75)');
  });
});

describe('runJudgeCommand: bad input exits 2 with a located FlotillaError', () => {
  const misspelt = configText.replace('"direction": "decrease"', '"direction": "decrese"');
  it.each<[string, Partial<JudgeCommandInput>, string, Record<string, unknown>]>([
    ['JSON syntax in the config', { configText: '{\n  "metrics": [,]\n}' }, 'canary.json:2:15: not valid JSON', { file: 'canary.json', line: 2, column: 15 }],
    [
      'an invalid value in the config',
      { configText: misspelt },
      'canary.json:37:24 metrics[2].analysisConfigurations.canary.direction: Invalid option: expected one of "increase"|"decrease"|"either"',
      { file: 'canary.json', line: 37, column: 24, field: 'metrics[2].analysisConfigurations.canary.direction' },
    ],
    [
      'a string among the samples',
      { dataText: '{\n  "metrics": {\n    "cpu": { "control": [1, "2"], "experiment": [] }\n  }\n}' },
      'data.json:3:29 metrics.cpu.control[1]: expected a number or null',
      { file: 'data.json', line: 3, column: 29, field: 'metrics.cpu.control[1]' },
    ],
    ['a missing side', { dataText: '{"metrics": {"cpu": {"control": [1]}}}' }, 'metrics.cpu.experiment', { file: 'data.json', field: 'metrics.cpu.experiment' }],
    ['a pass threshold out of range', { pass: 120 }, 'the pass threshold must be between 0 and 100', { field: 'pass' }],
    ['marginal above pass', { pass: 70 }, 'the marginal threshold (75) must not be above the pass threshold (70)', { field: 'marginal' }],
  ])('%s', (_label, overrides, message, location) => {
    const result = run({ ...overrides, json: false });
    expect(result.exitCode).toBe(2);
    expect(result.error?.code).toBe('bad-input');
    expect(result.error?.message).toContain(message);
    expect(result.error?.location).toMatchObject(location);
    expect(result.output).toBe(`flotilla judge: ${result.error?.message}\n`);
  });

  it('reports the error as JSON with --json', () => {
    const result = run({ configText: '[]' });
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.output)).toMatchObject({ error: { code: 'bad-input', location: { file: 'canary.json' } } });
  });
});
