import { describe, expect, it } from 'vitest';
import { benchInput, benchJudge } from './bench.js';

describe('benchJudge', () => {
  it('judges the requested metrics and reports time and memory', () => {
    const result = benchJudge({ metrics: 20, pointsPerSide: 100 });
    expect(result).toMatchObject({ metrics: 20, pointsPerSide: 100 });
    for (const figure of [result.wallMs, result.cpuMs, result.heapUsedMB, result.rssMB]) expect(figure).toBeGreaterThanOrEqual(0);
    expect(result.rssMB).toBeGreaterThan(0);
    expect(['pass', 'marginal', 'fail']).toContain(result.verdict);
  });

  it('generates the same input every time (continuous and tied samples, a third shifted)', () => {
    const first = benchInput(6, 50);
    expect(benchInput(6, 50)).toEqual(first);
    expect(Object.keys(first.data.metrics)).toHaveLength(6);
    const tied = first.data.metrics.metric_1!.control;
    expect(tied.every((value) => Number.isInteger(value))).toBe(true);
  });
});
