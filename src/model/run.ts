import type { WaitSpec } from './wait.js';

/** How a run (one campaign × one target) ended. */
export type Outcome = 'merged' | 'changed' | 'needs-human' | 'failed' | 'skipped' | 'cancelled';

export const OUTCOMES: readonly Outcome[] = ['merged', 'changed', 'needs-human', 'failed', 'skipped', 'cancelled'];

/** `waiting`: nothing runs until an event arrives or a deadline passes. */
export type RunStatus = 'running' | 'waiting' | 'done';

/** `ready`: the reducer asked for it to start; `running`: it started. */
export type StepStatus = 'pending' | 'ready' | 'running' | 'retrying' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export interface StepError {
  code: string;
  message: string;
  retryable: boolean;
}

export interface StepState {
  status: StepStatus;
  /** Attempts started so far. */
  attempt: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  output?: Record<string, unknown>;
  error?: StepError;
  /** Why the step was skipped (its `if:` was false). */
  reason?: string;
  /** When a retry may start (ISO time). */
  notBefore?: string;
  /** What a waiting step waits for. */
  wait?: WaitSpec;
}

/** The state of one run, rebuilt at any time by replaying its events through the reducer. */
export interface RunState {
  runId: string;
  campaign: string;
  target: string;
  status: RunStatus;
  outcome?: Outcome;
  reasons: string[];
  /** The step at which a failed run failed. */
  failedStep?: string;
  steps: Record<string, StepState>;
  /** Set when a step ended the run; the run completes with this even if the process dies first. */
  ending?: { outcome: Outcome; reasons: string[]; failedStep?: string };
  /** The on-failure step that runs before the run ends as `ending` says. */
  cleanup?: string;
  /** The commit the run's change starts from (the target's default branch when the run was created). */
  baseCommit: string;
  /** The git tree of the change as the change steps left it (set by the executor's snapshots). */
  changeTree?: string;
  createdAt: string;
  updatedAt: string;
  /** How many events have been applied. */
  version: number;
}
