import type { Outcome, StepError } from './run.js';
import type { WaitSpec } from './wait.js';
import type { TargetFacts, TargetSpec } from './fleet.js';

/**
 * The facts appended to a run's log. A run's state is always `events.reduce(reducer)`.
 * Types are `noun.verb-in-past-tense`; data is JSON.
 */
export type RunEventBody =
  /** `spec` and `facts` let any process resume the run from the store alone, without the fleet file. */
  | { type: 'run.created'; data: { target: string; commit: string; spec?: TargetSpec; facts?: TargetFacts } }
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
  /** The step ended by waiting for an event or a deadline; it costs nothing while it waits. */
  | { type: 'step.waiting'; data: { step: string; attempt: number; durationMs: number; wait: WaitSpec; output: Record<string, unknown> } }
  /** An event from outside (a webhook, `flotilla approve`, `flotilla emit`) or from a step, routed to this run. */
  | { type: 'signal.received'; data: { name: string; data: Record<string, unknown>; cause: string } }
  /** A waiting step's deadline passed. */
  | { type: 'wait.timed-out'; data: { step: string } }
  /** A person or a policy cancelled the run. */
  | { type: 'run.cancelled'; data: { reason: string; cause: string } }
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
