import type { Outcome } from '../model/run.js';

/** What the reducer asks the executor to do next. Commands are derived, never stored. */
export type Command =
  | { kind: 'start-step'; runId: string; step: string; attempt: number; notBefore?: string }
  | { kind: 'finish-run'; runId: string; outcome: Outcome; reasons: string[]; failedStep?: string };

/** The part of a compiled path the reducer needs: the order of steps and their retry policy. */
export interface PathStep {
  id: string;
  attempts: number;
  backoffMs: number;
  lands?: 'opens' | 'merges';
}
