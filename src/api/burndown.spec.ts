import { describe, expect, it } from 'vitest';
import { burndown } from './burndown.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const s = (seconds: number): number => T0 + seconds * 1000;

describe('burndown', () => {
  it('counts open, landed and otherwise closed runs at evenly spaced times', () => {
    const result = burndown([s(0), s(0), s(10), s(10)], [{ at: s(20), outcome: 'merged' }, { at: s(30), outcome: 'failed' }, { at: s(40), outcome: 'merged' }], s(40), 5);
    expect(result.bucketMs).toBe(10_000);
    expect(result.points.map((point) => [point.open, point.landed, point.closed])).toEqual([
      [2, 0, 0],
      [4, 0, 0],
      [3, 1, 0],
      [2, 1, 1],
      [1, 2, 1],
    ]);
    expect(result.points[0]?.at).toBe('2026-01-01T00:00:00.000Z');
  });

  it('never returns more than maxPoints points, and ends at the end time', () => {
    const created = Array.from({ length: 10_000 }, (_, index) => s(index));
    const result = burndown(created, [], s(20_000), 60);
    expect(result.points.length).toBeLessThanOrEqual(60);
    expect(result.points.at(-1)).toMatchObject({ at: new Date(s(20_000)).toISOString(), open: 10_000 });
  });

  it('is empty without runs', () => {
    expect(burndown([], [], s(5)).points).toEqual([]);
  });
});
