import { describe, expect, it } from 'vitest';
import { gatherEvidence } from './gather-evidence.js';

const tests = (passed: number, extra: Record<string, unknown> = {}) => ({ outputs: { ran: true, total: passed, passed, failed: 0, skipped: 0, flaky: [], preExisting: [], failedByChange: [], durationMs: 1, format: 'tap', ...extra } });

describe('gathering evidence from earlier steps', () => {
  it('recognises steps by the shape of their output and combines several of a kind', () => {
    const gathered = gatherEvidence({
      unit: tests(10),
      integration: tests(5, { flaky: ['db'] }),
      comply: { outputs: { verdict: 'pass', findings: [{ check: 'size', severity: 'warn', reason: 'size: 600 lines', message: '' }], counts: { block: 0, warn: 1, info: 0 } } },
      canary1: { outputs: { verdict: 'pass', inconclusive: false, score: 95, metrics: [] } },
      canary2: { outputs: { verdict: 'marginal', inconclusive: false, score: 70, metrics: [] } },
      canary3: { outputs: { verdict: 'fail', inconclusive: true, score: 0, metrics: [] } },
      bump: { outputs: { package: 'debug', from: '4.3.0', to: '4.3.1', kind: 'patch', files: ['package.json', 'package-lock.json'] } },
      other: { outputs: { package: 'ms', from: '2.0.0', to: '3.0.0', kind: 'major', files: ['package.json'], publishedAt: '2025-01-01T00:00:00Z' } },
      rewrite: { outputs: { files: ['src/a.ts'], replacements: 3 } },
      approve: { outputs: { by: 'alice' } },
    });
    expect(gathered.from).toEqual({ tests: ['unit', 'integration'], compliance: ['comply'], canary: ['canary1', 'canary2', 'canary3'], change: ['bump', 'other', 'rewrite'] });
    expect(gathered.tests).toMatchObject({ ran: true, total: 15, passed: 15, flaky: ['db'], format: 'tap' });
    expect(gathered.compliance).toMatchObject({ verdict: 'pass', counts: { warn: 1 } });
    // The worst conclusive canary counts; an inconclusive one never hides a conclusive one.
    expect(gathered.canary).toEqual({ verdict: 'marginal', inconclusive: false, score: 70 });
    expect(gathered.change).toEqual({
      kind: 'major',
      files: 3,
      bumps: [
        { package: 'debug', from: '4.3.0', to: '4.3.1', kind: 'patch' },
        { package: 'ms', from: '2.0.0', to: '3.0.0', kind: 'major' },
      ],
    });
    expect(gathered.release).toEqual({ package: 'ms', version: '3.0.0', releasedAt: '2025-01-01T00:00:00Z' });
  });

  it('reads only the named steps when told, and nothing when there is nothing', () => {
    const gathered = gatherEvidence({ unit: tests(10), smoke: tests(2) }, { tests: ['smoke'] });
    expect(gathered.tests?.passed).toBe(2);
    expect(gatherEvidence({})).toEqual({ from: {} });
  });

  it('lets a blocking check win over a passing one', () => {
    const check = (verdict: string, block: number) => ({ outputs: { verdict, findings: [], counts: { block, warn: 0, info: 0 } } });
    expect(gatherEvidence({ a: check('pass', 0), b: check('block', 2) }).compliance).toMatchObject({ verdict: 'block', counts: { block: 2 } });
  });
});
