import type { Outcome } from '../model/run.js';
import type { OnTimeout } from '../model/wait.js';

/** What the reducer asks the executor to do next. Commands are derived, never stored. */
export type Command =
  | { kind: 'start-step'; runId: string; step: string; attempt: number; notBefore?: string }
  | { kind: 'finish-run'; runId: string; outcome: Outcome; reasons: string[]; failedStep?: string };

/** What happens to the run when a step fails for good. */
export type OnFailure = 'fail' | 'needs-human' | 'continue' | { step: string };

/** The part of a compiled path the reducer needs: the graph of steps and their policies. */
export interface PathStep {
  id: string;
  attempts: number;
  backoffMs: number;
  lands?: 'opens' | 'merges';
  /** Steps that must be finished (succeeded, skipped, or failed with `continue`) before this one starts. */
  needs: string[];
  onFailure: OnFailure;
  /** Overrides what the step's own wait does on timeout. */
  onTimeout?: OnTimeout;
  /** Starts only when an event of this type arrives (and `where` holds); not part of the main path. */
  on?: { type: string; where?: (data: Record<string, unknown>) => boolean };
  /** Runs only as another step's on-failure clean-up. */
  handler?: boolean;
}
