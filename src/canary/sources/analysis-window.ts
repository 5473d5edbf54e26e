import { z } from 'zod';
import { parseDuration } from '../../model/duration.js';
import { badInput } from '../../model/errors.js';

const duration = z.string().refine((value) => parseDuration(value) !== undefined, { message: 'must be a duration such as 30s, 10m or 1h' });
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2025-11-04T10:00:00Z' });

/** The `window:` of a canary that reads a metric store: which stretch of time is compared. */
export const analysisWindowSchema = z.strictObject({
  end: instant.optional().describe('where the window ends (ISO 8601); default: when the step runs'),
  start: instant.optional().describe('where the window starts (ISO 8601); default: `end` minus `lookback`'),
  lookback: duration.default('10m').describe('the window length when `start` is not given'),
  warmup: duration.default('0s').describe('skipped at the start of the window (caches filling, JIT warming up)'),
  step: duration.default('15s').describe('one point per step (a Prometheus range-query resolution)'),
});

export type AnalysisWindowSpec = z.output<typeof analysisWindowSchema>;

export interface AnalysisWindow {
  start: Date;
  end: Date;
  stepMs: number;
}

/** Prometheus refuses range queries of more than 11,000 points per series. */
export const MAX_POINTS = 11_000;

/**
 * The window a canary judges: `[start + warmup, end]` at `step`, with `end` defaulting to `now`.
 * The clock is passed in, so the same spec and the same `now` always give the same window.
 */
export function analysisWindow(spec: AnalysisWindowSpec, now: Date): AnalysisWindow {
  const end = spec.end === undefined ? now : new Date(spec.end);
  const lookbackMs = parseDuration(spec.lookback) ?? 0;
  const warmupMs = parseDuration(spec.warmup) ?? 0;
  const stepMs = parseDuration(spec.step) ?? 0;
  const start = new Date((spec.start === undefined ? end.getTime() - lookbackMs : new Date(spec.start).getTime()) + warmupMs);
  if (stepMs <= 0) throw badInput(`window.step must be longer than 0, not ${spec.step}`, { field: 'window.step' });
  if (start.getTime() >= end.getTime()) {
    throw badInput(`the analysis window is empty: it starts at ${start.toISOString()} (after the warm-up) and ends at ${end.toISOString()}`, { field: 'window' });
  }
  const points = Math.floor((end.getTime() - start.getTime()) / stepMs) + 1;
  if (points > MAX_POINTS) {
    throw badInput(`the analysis window has ${points} points at step ${spec.step}; at most ${MAX_POINTS} (a longer step, or a shorter window)`, { field: 'window.step' });
  }
  return { start, end, stepMs };
}
