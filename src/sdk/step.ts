import type { z } from 'zod';
import type { Target, TargetFacts } from '../model/fleet.js';
import type { Outcome } from '../model/run.js';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { OnTimeout, WaitSpec } from '../model/wait.js';

/**
 * What a step does to a run, so the engine can treat it right:
 * - `change` writes the change into the workspace (its result is snapshotted: that tree *is* the change);
 * - `validate` checks the change (build, test, policy); what it writes never reaches the commit;
 * - `deliver` publishes or lands the change through the SCM adapter;
 * - `control` decides or waits (gates, approvals, timers).
 */
export type StepKind = 'change' | 'validate' | 'deliver' | 'control';

export interface StepLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Raw output of a command (stdout/stderr), kept in the step log with secrets redacted. */
  output(text: string): void;
}

export interface StepContext {
  runId: string;
  campaign: { name: string; description: string; change: { title: string; body: string } };
  stepId: string;
  /** 1 for the first attempt. */
  attempt: number;
  target: Target;
  facts: TargetFacts;
  /**
   * The run's isolated workspace (a git checkout), for steps that declare `workspace: true`. For change and
   * validation steps of a monorepo project it is the project's folder inside the checkout.
   */
  workspace: string;
  /** The git commit the change starts from (the default branch when the run was created). */
  baseCommit: string;
  /** The branch the change lands on. */
  baseBranch: string;
  /** The branch the change is published on (`flotilla/<campaign>`, with the project for a monorepo target). */
  changeBranch: string;
  /** The git tree the change steps produced so far (undefined before any change step ran). */
  changeTree: string | undefined;
  /** Outputs of the steps that already succeeded, by step id. */
  steps: Readonly<Record<string, { outputs: Record<string, unknown> }>>;
  /** Aborted on timeout, cancel and shutdown: pass it to every child process and request. */
  signal: AbortSignal;
  log: StepLogger;
  scm: ScmAdapter;
  /**
   * Runs `fn` once per run and key and stores its JSON result; a retry or a resumed run gets the stored
   * result instead of running `fn` again. Wrap every side effect that must not happen twice.
   */
  checkpoint<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Records an extra fact in the run's event log (shown by `flotilla events`). */
  emit(name: string, data: Record<string, unknown>): void;
  /** Environment for child processes (the engine's environment; secrets stay out of logs). */
  env: Readonly<Record<string, string | undefined>>;
}

declare const endRunBrand: unique symbol;

/** A step result that ends the run early, returned by {@link skipRun} and {@link needsHuman}. */
export interface EndRun<O> {
  readonly [endRunBrand]: true;
  outcome: Extract<Outcome, 'skipped' | 'needs-human' | 'failed'>;
  reasons: string[];
  output: O;
}

export interface StepDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** `family/name` or a single word; unique. */
  id: string;
  /** One sentence: what the step does. */
  description: string;
  kind: StepKind;
  input: I;
  output: O;
  /** Needs the run's git workspace (a `git/checkout` is implied before the first such step). */
  workspace: boolean;
  /** `opens` for a step that publishes the change, `merges` for one that lands it. */
  lands?: 'opens' | 'merges';
  /** Example `with:` blocks shown in the docs and checked against `input` by the tests. */
  examples: { title: string; with: z.input<I> }[];
  run(input: z.output<I>, ctx: StepContext): Promise<z.input<O> | EndRun<z.input<O>> | WaitFor<z.input<O>>>;
}

/**
 * Defines a step: a reusable brick with a typed input and output.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineStep } from 'flotilla/sdk';
 *
 * export default defineStep({
 *   id: 'hello',
 *   description: 'Greets the target in the step log.',
 *   kind: 'validate',
 *   workspace: false,
 *   input: z.strictObject({ greeting: z.string().default('hello') }),
 *   output: z.strictObject({ said: z.string() }),
 *   examples: [{ title: 'Say hi', with: { greeting: 'hi' } }],
 *   async run(input, ctx) {
 *     ctx.log.info(`${input.greeting}, ${ctx.target.spec.name}`);
 *     return { said: input.greeting };
 *   },
 * });
 * ```
 */
export function defineStep<I extends z.ZodType, O extends z.ZodType>(definition: StepDefinition<I, O>): StepDefinition<I, O> {
  return definition;
}

const END_RUN = Symbol.for('flotilla.end-run');

/** Ends the run as `skipped`: there is nothing to do for this target, and why. */
export function skipRun<O>(reason: string, output: O): EndRun<O> {
  return { [END_RUN]: true, outcome: 'skipped', reasons: [reason], output } as unknown as EndRun<O>;
}

/** Ends the run as `needs-human`, with the reasons a person should look at. */
export function needsHuman<O>(reasons: string[], output: O): EndRun<O> {
  return { [END_RUN]: true, outcome: 'needs-human', reasons, output } as unknown as EndRun<O>;
}

/** Ends the run as `failed` without an error (a verdict, such as a blocking policy finding). */
export function failRun<O>(reasons: string[], output: O): EndRun<O> {
  return { [END_RUN]: true, outcome: 'failed', reasons, output } as unknown as EndRun<O>;
}

const WAIT_FOR = Symbol.for('flotilla.wait-for');

/** A step result that parks the step until an event arrives or its deadline passes. */
export interface WaitFor<O> {
  readonly [endRunBrand]: false;
  wait: Omit<WaitSpec, 'onTimeout'> & { onTimeout?: OnTimeout };
  output: O;
}

/**
 * Ends the step by waiting: for an event of one of `types` whose data has every `match` field, or until
 * `deadline`. Nothing runs while it waits — no process, no polling — and the wait survives restarts.
 * When the event arrives the step succeeds with `output` plus the event's data; an event of a `failOn`
 * type fails it (or sends the run to a human); at the deadline `onTimeout` decides (default `fail`).
 *
 * @example
 * ```ts
 * return waitFor({ types: ['ci.completed'], match: { commit }, reason: 'CI for the change', deadline }, { commit });
 * ```
 */
export function waitFor<O>(wait: WaitFor<O>['wait'], output: O): WaitFor<O> {
  return { [WAIT_FOR]: true, wait, output } as unknown as WaitFor<O>;
}

export function isWaitFor(value: unknown): value is WaitFor<unknown> {
  return typeof value === 'object' && value !== null && WAIT_FOR in value;
}

export function isEndRun(value: unknown): value is EndRun<unknown> {
  return typeof value === 'object' && value !== null && END_RUN in value;
}

/** Any step, whatever its schemas (`run` is a method, so its input is compared bivariantly). */
export type AnyStep = StepDefinition<z.ZodType, z.ZodType>;
