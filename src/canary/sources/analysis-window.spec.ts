import { describe, expect, it } from 'vitest';
import { analysisWindow, analysisWindowSchema } from './analysis-window.js';

const NOW = new Date('2025-11-04T10:00:00Z');
const window = (spec: Record<string, unknown>): ReturnType<typeof analysisWindow> => analysisWindow(analysisWindowSchema.parse(spec), NOW);

describe('analysisWindow', () => {
  it.each([
    ['defaults: the last 10 minutes at 15 s', {}, '2025-11-04T09:50:00.000Z', '2025-11-04T10:00:00.000Z', 15_000],
    ['lookback and warm-up: the first minute of the last 30 is skipped', { lookback: '30m', warmup: '1m', step: '1m' }, '2025-11-04T09:31:00.000Z', '2025-11-04T10:00:00.000Z', 60_000],
    ['explicit start and end (any offset); lookback ignored', { start: '2025-11-04T08:00:00Z', end: '2025-11-04T10:00:00+01:00', lookback: '5m' }, '2025-11-04T08:00:00.000Z', '2025-11-04T09:00:00.000Z', 15_000],
    ['end with lookback', { end: '2025-11-04T09:00:00Z', lookback: '1h', warmup: '15m', step: '30s' }, '2025-11-04T08:15:00.000Z', '2025-11-04T09:00:00.000Z', 30_000],
  ])('%s', (_name, spec, start, end, stepMs) => {
    const result = window(spec);
    expect([result.start.toISOString(), result.end.toISOString(), result.stepMs]).toEqual([start, end, stepMs]);
  });

  it.each([
    ['a warm-up as long as the window', { lookback: '5m', warmup: '5m' }, /the analysis window is empty: it starts at 2025-11-04T10:00:00.000Z/],
    ['more points than Prometheus returns', { lookback: '7d', step: '15s' }, /has 40321 points at step 15s; at most 11000/],
    ['a zero step', { step: '0s' }, /window.step must be longer than 0/],
  ])('refuses %s', (_name, spec, message) => {
    expect(() => window(spec)).toThrow(message);
  });

  it('refuses malformed durations and times at the schema', () => {
    expect(analysisWindowSchema.safeParse({ lookback: 'ten minutes' }).success).toBe(false);
    expect(analysisWindowSchema.safeParse({ end: 'yesterday' }).success).toBe(false);
  });
});
