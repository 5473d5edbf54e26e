import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext } from '../../steps/testing/step-context.js';
import { canaryJudge } from './canary-judge.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../test/fixtures/canary/${name}`, import.meta.url));

async function judge(withBlock: Record<string, unknown>): Promise<{ result: unknown; ctx: ReturnType<typeof makeTestContext> }> {
  const ctx = makeTestContext({ workspace: '' });
  const result = await canaryJudge.run(canaryJudge.input.parse(withBlock), ctx);
  return { result, ctx };
}

function ending(result: unknown): { outcome: string; reasons: string[] } | undefined {
  return isEndRun(result) ? { outcome: result.outcome, reasons: result.reasons } : undefined;
}

describe('canary/judge on a file of samples', () => {
  it('a pass lets the run go on, logs the metric table and records a canary.judgement event', async () => {
    const { result, ctx } = await judge({ configFile: fixture('checkout-canary.json'), samples: fixture('samples-pass.json') });
    expect(ending(result)).toBeUndefined();
    expect(result).toMatchObject({ verdict: 'pass', score: 100, inconclusive: false, source: 'samples-file', metrics: [{ name: 'latency_p50', classification: 'Pass' }, { name: 'error_rate', classification: 'Pass' }] });
    expect(ctx.events).toEqual([{ name: 'canary.judgement', data: expect.objectContaining({ verdict: 'pass', score: 100, source: 'samples-file', thresholds: { pass: 95, marginal: 40 } }) as unknown }]);
    expect(ctx.logs.find((log) => log.level === 'output')?.message).toMatch(/^metric\s+class\s+critical/);
  });

  it('a marginal canary needs a human, with the metric that did not pass', async () => {
    const { result } = await judge({ configFile: fixture('checkout-canary.json'), samples: fixture('samples-slow.json') });
    expect(ending(result)?.outcome).toBe('needs-human');
    expect(ending(result)?.reasons[0]).toBe('canary marginal: score 50 (pass >= 95, marginal >= 40)');
    expect(ending(result)?.reasons[1]).toMatch(/^latency_p50 High: experiment higher: shift interval \[19\.6, 20\.6\]/);
  });

  it('a failing canary fails the run (thresholds over the config)', async () => {
    const { result } = await judge({ configFile: fixture('checkout-canary.json'), samples: fixture('samples-slow.json'), thresholds: { marginal: 75 } });
    expect(ending(result)).toMatchObject({ outcome: 'failed', reasons: ['canary failed: score 50 (pass >= 95, marginal >= 75)', expect.stringMatching(/^latency_p50 High/) as unknown] });
  });

  it('missing data is inconclusive and needs a human, never a pass', async () => {
    const { result } = await judge({ configFile: fixture('checkout-canary.json'), samples: fixture('samples-empty.json') });
    expect(ending(result)).toEqual({ outcome: 'needs-human', reasons: ['canary inconclusive: 2 of 2 metrics have no data (latency_p50, error_rate)'] });
  });

  it('reads an inline config and a relative config path (from the working directory)', async () => {
    const inline = await judge({ config: { metrics: [{ name: 'latency_p50', analysisConfigurations: { canary: { direction: 'increase' } } }] }, samples: fixture('samples-slow.json') });
    expect(ending(inline.result)?.outcome).toBe('failed');
    const relative = await judge({ configFile: 'test/fixtures/canary/checkout-canary.json', samples: fixture('samples-pass.json') });
    expect(relative.result).toMatchObject({ verdict: 'pass' });
  });

  it.each([
    ['no config', { samples: 'x.json' }, 'give the canary config'],
    ['two configs', { config: { metrics: [{ name: 'a' }] }, configFile: 'c.json', samples: 'x.json' }, 'give one of config or configFile, not both'],
    ['no source', { configFile: 'c.json' }, 'give a metric source'],
    ['a query without $labels', { configFile: 'c.json', prometheus: { url: 'http://p:9090', queries: { a: 'up' }, control: {}, experiment: {} } }, 'a query must contain $labels'],
    ['a typo in an inline direction', { config: { metrics: [{ name: 'a', analysisConfigurations: { canary: { direction: 'increse' } } }] }, samples: 'x.json' }, 'Invalid option'],
  ])('refuses %s when the campaign loads', (_name, withBlock, message) => {
    const parsed = canaryJudge.input.safeParse(withBlock);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join('\n')).toContain(message);
  });

  it('a broken samples file is bad input with file, line and field', async () => {
    await expect(judge({ configFile: fixture('checkout-canary.json'), samples: fixture('canary-typo.json') })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('metrics') as unknown });
  });
});
