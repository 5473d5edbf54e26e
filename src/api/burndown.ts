import type { Burndown } from './api-responses.js';

export interface Completion {
  /** Epoch ms of the run's `run.completed` event. */
  at: number;
  outcome: string;
}

/**
 * The burndown of a campaign from its run events: at evenly spaced times from the first `run.created` to
 * `end`, how many runs were open (created, not ended), landed (ended `merged`) and closed otherwise.
 * Computed on the server so a browser never downloads a campaign's whole event log; at most `maxPoints`
 * points whatever the campaign's size. Pure: the caller passes the times.
 */
export function burndown(created: readonly number[], completed: readonly Completion[], end: number, maxPoints = 60): Burndown {
  if (created.length === 0) return { bucketMs: 1, points: [] };
  const starts = [...created].sort((a, b) => a - b);
  const ends = [...completed].sort((a, b) => a.at - b.at);
  const start = starts[0] ?? end;
  const last = Math.max(end, start, ends.at(-1)?.at ?? start);
  const span = Math.max(1, last - start);
  const bucketMs = Math.max(1, Math.ceil(span / Math.max(1, maxPoints - 1)));
  const points: Burndown['points'] = [];
  let opened = 0;
  let endedAt = 0;
  let landed = 0;
  let closed = 0;
  for (let index = 0; ; index++) {
    const at = Math.min(start + index * bucketMs, last);
    while (opened < starts.length && (starts[opened] ?? Infinity) <= at) opened++;
    while (endedAt < ends.length && (ends[endedAt]?.at ?? Infinity) <= at) {
      if (ends[endedAt]?.outcome === 'merged') landed++;
      else closed++;
      endedAt++;
    }
    points.push({ at: new Date(at).toISOString(), open: Math.max(0, opened - landed - closed), landed, closed });
    if (at >= last) break;
  }
  return { bucketMs, points };
}
