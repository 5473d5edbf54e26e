import type { ScmAdapter } from '../../adapters/scm/scm.js';
import { FlotillaError } from '../../model/errors.js';
import type { TargetFacts } from '../../model/fleet.js';
import type { StepContext, StepLogger } from '../../sdk/step.js';

/**
 * A complete {@link StepContext} for unit tests of steps: real AbortSignal, a logger that collects,
 * an in-memory checkpoint with the engine's JSON round trip, and an SCM adapter that refuses to be used
 * unless a test passes one. Free of any test framework, so every step family (and the engine's own
 * tests) can use it.
 */

export interface LogRecord {
  level: 'info' | 'warn' | 'error' | 'output';
  message: string;
  fields?: Record<string, unknown>;
}

export interface TestStepContext extends StepContext {
  /** Everything the step logged, in order (`output` records hold raw command output). */
  logs: LogRecord[];
  /** Everything the step emitted, in order. */
  events: { name: string; data: Record<string, unknown> }[];
  /** Stored checkpoint results by key (JSON round-tripped, as the store would keep them). */
  checkpoints: Map<string, unknown>;
  /** Aborts the context's own signal (a test's timeout or cancel); has no effect on an overridden signal. */
  abort(reason?: unknown): void;
}

export type TestContextOptions = Partial<StepContext> & { workspace: string };

/** Builds a step context rooted at `workspace`; any field can be overridden. */
export function makeTestContext(options: TestContextOptions): TestStepContext {
  const controller = new AbortController();
  const logs: LogRecord[] = [];
  const events: TestStepContext['events'] = [];
  const checkpoints = new Map<string, unknown>();
  const record =
    (level: LogRecord['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  const log: StepLogger = { info: record('info'), warn: record('warn'), error: record('error'), output: record('output') };
  const facts = options.facts ?? options.target?.facts ?? defaultFacts(options.workspace);
  const target = options.target ?? { spec: { name: facts.name, repo: facts.repo, tier: facts.tier, tags: facts.tags }, facts };

  const context: TestStepContext = {
    runId: 'test-run',
    campaign: { name: 'test-campaign', description: '', change: { title: 'Test change', body: '' } },
    stepId: 'test-step',
    attempt: 1,
    baseCommit: '',
    baseBranch: 'main',
    changeBranch: 'flotilla/test-campaign',
    changeTree: undefined,
    steps: {},
    signal: controller.signal,
    log,
    scm: unavailableScm,
    env: process.env,
    async checkpoint<T>(key: string, fn: () => Promise<T>): Promise<T> {
      if (checkpoints.has(key)) return checkpoints.get(key) as T;
      const result = await fn();
      const stored: unknown = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
      checkpoints.set(key, stored);
      return stored as T;
    },
    emit(name: string, data: Record<string, unknown>): void {
      events.push({ name, data });
    },
    ...options,
    facts,
    target,
    logs,
    events,
    checkpoints,
    abort: (reason?: unknown) => controller.abort(reason),
  };
  return context;
}

function defaultFacts(workspace: string): TargetFacts {
  return {
    name: 'test-target',
    repo: workspace,
    owner: 'test-owner',
    tier: 2,
    tags: [],
    defaultBranch: 'main',
    commit: '',
    languages: [],
    packageManager: '',
    dependencies: {},
    devDependencies: {},
    hasTests: false,
    testCommand: '',
  };
}

const unavailable = (): Promise<never> =>
  Promise.reject(new FlotillaError('internal', 'this test context has no SCM adapter: pass one as `scm`'));

const unavailableScm: ScmAdapter = {
  kind: 'unavailable',
  checkout: unavailable,
  publishChange: unavailable,
  mergeChange: unavailable,
};
