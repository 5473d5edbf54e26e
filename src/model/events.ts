import type { Outcome, StepError } from './run.js';

/**
 * The facts appended to a run's log. A run's state is always `events.reduce(reducer)`.
 * Types are `noun.verb-in-past-tense`; data is JSON.
 */
export type RunEventBody =
  | { type: 'run.created'; data: { target: string; commit: string } }
  | { type: 'step.started'; data: { step: string; attempt: number } }
  | {
      type: 'step.succeeded';
      data: {
        step: string;
        attempt: number;
        durationMs: number;
        output: Record<string, unknown>;
        /** The workspace's tree after a change step (what the change is). */
        changeTree?: string;
        /** Set when the step decided the run ends here (nothing to do, a person must look). */
        endRun?: { outcome: Extract<Outcome, 'skipped' | 'needs-human' | 'failed'>; reasons: string[] };
      };
    }
  | {
      type: 'step.failed';
      data: { step: string; attempt: number; durationMs: number; error: StepError };
    }
  | { type: 'step.skipped'; data: { step: string; reason: string } }
  /** An extra fact a step recorded with `ctx.emit` (a finding, a measurement); it changes no state. */
  | { type: 'step.reported'; data: { step: string; name: string; data: Record<string, unknown> } }
  | { type: 'run.completed'; data: { outcome: Outcome; reasons: string[]; failedStep?: string } };

export type RunEventType = RunEventBody['type'];

/** An event as stored: its body plus where and when it belongs. */
export type RunEvent = RunEventBody & {
  /** Position in the whole log (assigned by the store). */
  seq?: number;
  runId: string;
  /** ISO time the event was recorded. */
  at: string;
};
