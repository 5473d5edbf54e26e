import { z } from 'zod';
import type { StepOutcome } from '../engine/execute-step.js';

/**
 * The contract between the runner that queues a step attempt and the worker that runs it.
 *
 * Terminology (as graphile-worker's): a **job** is one step attempt in the queue; its **key**
 * `runId/step/attempt` makes adding it idempotent (a runner that restarts adds nothing new); the **outcome**
 * is what the worker recorded for the attempt, the only thing the runner waits for. A job fails (and is
 * retried with backoff) only for infrastructure reasons; a step that fails is an outcome like any other.
 */
export const STEP_TASK = 'flotilla.step';

/** The queue a job goes to: `flotilla.step` for `default`, `flotilla.step.<queue>` otherwise. */
export function taskOf(queue: string): string {
  return queue === 'default' ? STEP_TASK : `${STEP_TASK}.${queue}`;
}

export const stepJobPayload = z.object({
  campaign: z.string(),
  /** The campaign definition's hash: a worker loads (and caches) exactly that definition. */
  hash: z.string(),
  runId: z.string(),
  step: z.string(),
  attempt: z.number().int().min(1),
  /**
   * A campaign delivering one change per repository: the projects its change and validation steps visit
   * (decided when the campaign was planned, not recorded with the run, so it travels with the job).
   */
  projects: z.array(z.string()).optional(),
});

export type StepJobPayload = z.infer<typeof stepJobPayload>;

export function jobKeyOf(job: Pick<StepJobPayload, 'runId' | 'step' | 'attempt'>): string {
  return `${job.runId}/${job.step}/${job.attempt}`;
}

/** How many times graphile-worker runs a job that keeps failing for infrastructure reasons. */
export const JOB_MAX_ATTEMPTS = 10;

/** The outcome as stored (JSON text in `step_outcomes.outcome`). */
export const storedOutcome = z.object({
  event: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }),
  reported: z.array(z.object({ name: z.string(), data: z.record(z.string(), z.unknown()) })),
  dirty: z.boolean(),
});

export function parseOutcome(text: string): StepOutcome {
  return storedOutcome.parse(JSON.parse(text)) as StepOutcome;
}

/** graphile-worker's schema: the store's schema plus `_worker`, so test schemas never share a queue. */
export function workerSchemaOf(storeSchema: string): string {
  return storeSchema === 'flotilla' ? 'graphile_worker' : `${storeSchema}_worker`;
}

/** The NOTIFY channel a recorded outcome is announced on (per store schema). */
export function outcomeChannelOf(storeSchema: string): string {
  return `${storeSchema}:step_outcome`;
}
