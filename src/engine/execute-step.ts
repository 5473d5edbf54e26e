import { FlotillaError, errorMessage, isFlotillaError } from '../model/errors.js';
import type { RunEventBody } from '../model/events.js';
import type { Target } from '../model/fleet.js';
import type { RunState, StepError } from '../model/run.js';
import type { WaitSpec } from '../model/wait.js';
import { redactDeep, type Redactor } from '../log/redact.js';
import { isEndRun, isWaitFor, type StepContext } from '../sdk/step.js';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { Store } from '../store/store.js';
import { join } from 'node:path';
import { filesChangedSince, restoreTree, snapshotTree, treeOf, workspacePath } from '../workspace/workspace.js';
import type { EngineCampaign, EngineStep, StepScope } from './engine-campaign.js';
import { BufferedStepLogger } from './step-logger.js';

/** Everything one step execution needs from the runner. */
export interface StepExecution {
  campaign: EngineCampaign;
  step: EngineStep;
  state: RunState;
  target: Target;
  attempt: number;
  scope: StepScope;
  store: Store;
  stateDir: string;
  scm: ScmAdapter;
  env: Readonly<Record<string, string | undefined>>;
  redact: Redactor;
  clock: () => Date;
  interpolate: (value: Record<string, unknown>, scope: StepScope) => Record<string, unknown>;
  /** Cut by the step's timeout, a cancel, or a shutdown. */
  signal: AbortSignal;
  /** The workspace may hold what a validation step or an interrupted attempt left: restore before a change step. */
  dirty: boolean;
}

export interface StepOutcome {
  /** The event that records how the step ended. */
  event: RunEventBody;
  /** Extra facts the step reported (`ctx.emit`), recorded before the outcome. */
  reported: { name: string; data: Record<string, unknown> }[];
  /** Whether the workspace may now differ from the change snapshot. */
  dirty: boolean;
}

/**
 * Runs one step attempt: resolves its input, prepares the workspace, runs it under its signal, and turns
 * what happened into the event that records it. Never throws for a step's own failure: that is an event.
 */
export async function executeStep(execution: StepExecution, started: number): Promise<StepOutcome> {
  const { step, state, attempt, store, redact, clock, signal } = execution;
  const logger = new BufferedStepLogger(store, { runId: state.runId, step: step.id, attempt }, redact, clock);
  const reported: StepOutcome['reported'] = [];
  const kind = step.definition.kind;
  const usesWorkspace = step.definition.workspace;
  const root = usesWorkspace ? workspacePath(execution.stateDir, execution.campaign.name, execution.target.spec.name) : '';
  // Change and validation steps work in the target's project folder; in a campaign delivering one change
  // per repository they visit each project of the shared checkout in turn. Other steps see the root.
  const projects = usesWorkspace && (kind === 'change' || kind === 'validate') ? (execution.target.projects ?? [execution.target.spec.path ?? '']) : [''];
  let dirty = execution.dirty;
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const input: unknown = step.definition.input.parse(execution.interpolate(step.with, execution.scope));
    if (usesWorkspace && kind === 'change' && dirty) {
      await restoreTree(root, state.changeTree ?? (await treeOf(root, state.baseCommit)), signal);
    }
    const result = await visitProjects(projects, (project) => untilAborted(step.definition.run(input, contextOf(execution, logger, reported, project ? join(root, project) : root)), signal));
    const raw = isEndRun(result) || isWaitFor(result) ? result.output : result;
    const output = redactDeep(step.definition.output.parse(raw) as Record<string, unknown>, redact);
    let changeTree: string | undefined;
    if (usesWorkspace && kind === 'change') {
      changeTree = await snapshotTree(root, signal);
      dirty = false;
    } else if (usesWorkspace && kind === 'validate') {
      dirty = true;
      if (state.changeTree) {
        const touched = await filesChangedSince(root, state.changeTree, signal);
        if (touched.length > 0) {
          logger.warn('the validation step modified tracked files; they are not part of the change', { files: touched });
          reported.push({ name: 'validation.modified-tracked-files', data: { files: touched } });
        }
      }
    }
    await logger.flush();
    if (isWaitFor(result)) {
      const wait: WaitSpec = { ...result.wait, onTimeout: result.wait.onTimeout ?? 'fail' };
      return { event: { type: 'step.waiting', data: { step: step.id, attempt, durationMs: elapsed(), wait, output } }, reported, dirty };
    }
    const data: Extract<RunEventBody, { type: 'step.succeeded' }>['data'] = { step: step.id, attempt, durationMs: elapsed(), output };
    if (changeTree) data.changeTree = changeTree;
    if (isEndRun(result)) data.endRun = { outcome: result.outcome, reasons: result.reasons.map(redact) };
    return { event: { type: 'step.succeeded', data }, reported, dirty };
  } catch (error) {
    const failure = signal.aborted && signal.reason instanceof FlotillaError ? signal.reason : error;
    logger.error(errorMessage(failure));
    await logger.flush();
    const stepError = toStepError(failure);
    stepError.message = redact(stepError.message);
    return { event: { type: 'step.failed', data: { step: step.id, attempt, durationMs: elapsed(), error: stepError } }, reported, dirty: true };
  }
}

/**
 * Runs a step in each project in turn. A project the step has nothing to do in (`skipRun`) is passed
 * over; the run is skipped only when every project is. Anything else that ends the run ends it at once.
 */
async function visitProjects<T>(projects: readonly string[], visit: (project: string) => Promise<T>): Promise<T> {
  if (projects.length <= 1) return visit(projects[0] ?? '');
  let last: T | undefined;
  const skipped: string[] = [];
  for (const project of projects) {
    const result = await visit(project);
    if (isEndRun(result) && result.outcome === 'skipped') {
      skipped.push(...result.reasons.map((reason) => `${project}: ${reason}`));
      continue;
    }
    if (isEndRun(result) || isWaitFor(result)) return result;
    last = result;
  }
  if (last !== undefined) return last;
  const lastVisit = await visit(projects[projects.length - 1] ?? '');
  if (isEndRun(lastVisit)) lastVisit.reasons = skipped;
  return lastVisit;
}

function contextOf(execution: StepExecution, log: BufferedStepLogger, reported: StepOutcome['reported'], workspace: string): StepContext {
  const { campaign, step, state, target, store, clock } = execution;
  const succeeded: Record<string, { outputs: Record<string, unknown> }> = {};
  for (const [id, entry] of Object.entries(execution.scope.steps)) if (entry.status === 'succeeded') succeeded[id] = { outputs: entry.outputs };
  return {
    runId: state.runId,
    campaign: { name: campaign.name, description: campaign.change.title, change: campaign.change },
    stepId: step.id,
    attempt: execution.attempt,
    target,
    facts: target.facts,
    workspace,
    changeBranch: changeBranchOf(campaign, target),
    baseCommit: state.baseCommit,
    baseBranch: target.facts.defaultBranch,
    changeTree: state.changeTree,
    steps: succeeded,
    signal: execution.signal,
    log,
    scm: execution.scm,
    env: execution.env,
    checkpoint: async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
      const name = `${step.id}/${key}`;
      const stored = await store.getCheckpoint(state.runId, name);
      if (stored) return stored.value as T;
      const value = await fn();
      await store.putCheckpoint(state.runId, name, value, clock().toISOString());
      return value;
    },
    emit: (name, data) => {
      reported.push({ name, data: redactDeep(data, execution.redact) });
    },
  };
}

/**
 * The branch a target's change lives on: `flotilla/<campaign>`, or `flotilla/<campaign>/<project>` for a
 * project of a monorepo delivered one change per target (several changes in one repository).
 */
export function changeBranchOf(campaign: EngineCampaign, target: Target): string {
  const project = target.projects ? undefined : target.spec.path;
  if (!project || campaign.changePer === 'repository') return `flotilla/${campaign.name}`;
  return `flotilla/${campaign.name}/${project.replace(/[^A-Za-z0-9._/-]+/g, '-')}`;
}

function toStepError(error: unknown): StepError {
  if (isFlotillaError(error)) {
    const retryable = error.code === 'bad-input' ? false : error.retryable || (error.code !== 'conflict' && error.code !== 'cancelled');
    return { code: error.code, message: error.message, retryable };
  }
  if (error instanceof Error && error.name === 'ZodError') {
    return { code: 'bad-input', message: `invalid step input or output: ${error.message}`, retryable: false };
  }
  return { code: 'internal', message: errorMessage(error), retryable: true };
}

/** Settles with the step's promise, or rejects as soon as the signal aborts (a step that ignores it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
