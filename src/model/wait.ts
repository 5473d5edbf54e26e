/** What a waiting step does when its deadline passes. */
export type OnTimeout = 'fail' | 'needs-human' | 'continue';

/**
 * What a step waits for: one of `types` (with every `match` field equal in the event's data), or its
 * deadline. An event of a `failOn` type ends the wait the other way (a rejection, changes requested).
 */
export interface WaitSpec {
  types: string[];
  match?: Record<string, string | number | boolean>;
  failOn?: Record<string, 'failed' | 'needs-human'>;
  /** Values the matching event must carry, or the step fails (CI that completed, but not green). */
  require?: Record<string, (string | number | boolean)[]>;
  /** ISO time; absent = no deadline. */
  deadline?: string;
  onTimeout: OnTimeout;
  /** What the wait is for, in words ("approval from team-payments"): shown by status and the dashboard. */
  reason: string;
}

/** Whether an event (type + data) satisfies a wait. */
export function matchesWait(wait: Pick<WaitSpec, 'types' | 'match'>, type: string, data: Record<string, unknown>): boolean {
  if (!wait.types.includes(type)) return false;
  for (const [key, value] of Object.entries(wait.match ?? {})) {
    if (data[key] !== value) return false;
  }
  return true;
}
