import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { defineStep, type StepContext } from '../../sdk/step.js';
import { withBaselineTree } from './baseline-tree.js';
import { failingTests, runSetup, runTestsOnce, type TestAttempt } from './test-attempt.js';

const input = z.strictObject({
  /** The command that runs the tests; default: the target's detected or declared test command. */
  command: z.string().min(1).optional().describe("the command that runs the tests; default: the target's test command"),
  /** Run first in the changed tree and in the baseline (dependencies), e.g. `npm ci --ignore-scripts`. */
  setup: z.string().min(1).optional().describe('run first in the changed tree and in the baseline, e.g. npm ci --ignore-scripts'),
  /** How many times failing tests are run again on the changed tree; a test that then passes is flaky. */
  flakyRetries: z.number().int().min(0).max(5).default(1).describe('how many times failing tests run again on the change; passing then = flaky'),
  /** Run tests that still fail on the unchanged baseline, to tell the change's failures from old ones. */
  baseline: z.boolean().default(true).describe('run tests that still fail on the unchanged baseline: failing there too = pre-existing'),
  env: z.record(z.string(), z.string()).optional().describe('extra environment variables for the commands'),
});

export const testsRunOutput = z.strictObject({
  /** False when the target has no test command: nothing ran (the confidence gate counts that against the change). */
  ran: z.boolean().describe('false when the target has no test command'),
  /** Counts from the first run (0 when only the exit code could be read). */
  total: z.number().int().describe('counts from the first run (0 when only the exit code was known)'),
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  /** Failed, then passed on a retry of the unchanged changed tree. */
  flaky: z.array(z.string()).describe('failed, then passed on a retry of the changed tree'),
  /** Failed on the changed tree and on the baseline too: not the change's fault. */
  preExisting: z.array(z.string()).describe("failed on the baseline too: not the change's fault"),
  /** Failed on the changed tree only: the change broke them (the step fails). */
  failedByChange: z.array(z.string()).describe('failed on the change only (the step fails)'),
  durationMs: z.number().int(),
  /** How the results were read: from TAP/spec output, JUnit XML reports, or only the exit code. */
  format: z.enum(['tap', 'junit', 'exit-code', 'none']).describe('how the results were read'),
});

export type TestsRunOutput = z.output<typeof testsRunOutput>;

/** The event that records the result in the run's history, for `flotilla events` and the confidence gate. */
export const TESTS_RESULT_EVENT = 'tests.result';

/**
 * Runs the target's tests and tells the change's failures from everything else. A test that fails is run
 * again on the same tree (`flakyRetries`): if it passes it is flaky. One that still fails is run on the
 * unchanged baseline (a `git worktree` of the base commit beside the workspace, with the same `setup`):
 * if it fails there too it is pre-existing, not the change's fault, and the step succeeds saying so. Only
 * tests that fail because of the change fail the step, by name. Counts come from `node --test` output
 * (TAP or spec), TAP's `# tests`/`# pass`/`# fail`, or JUnit XML reports the run wrote; otherwise only
 * the exit code is known, and names are replaced by the command.
 */
export const testsRun = defineStep({
  id: 'tests/run',
  description:
    "Runs the target's tests; retries failures to spot flaky tests and re-runs the rest on the unchanged baseline, so only failures the change causes fail the step.",
  kind: 'validate',
  workspace: true,
  input,
  output: testsRunOutput,
  examples: [
    { title: "Run the target's own test command", with: {} },
    { title: 'Install dependencies in both trees first, retry failures twice', with: { command: 'npm test', setup: 'npm ci --ignore-scripts', flakyRetries: 2 } },
  ],
  async run(params, ctx) {
    const started = Date.now();
    const command = params.command ?? ctx.facts.testCommand;
    if (!command) {
      const output: TestsRunOutput = { ran: false, total: 0, passed: 0, failed: 0, skipped: 0, flaky: [], preExisting: [], failedByChange: [], durationMs: 0, format: 'none' };
      ctx.log.warn('the target has no test command: no tests ran');
      ctx.emit(TESTS_RESULT_EVENT, output);
      return output;
    }
    if (params.setup !== undefined) await setupOrFail(ctx, params.setup, ctx.workspace, params.env, 'the changed tree');
    const first = await runTestsOnce(ctx, { command, cwd: ctx.workspace, env: params.env, label: 'the change' });
    let failing = failingTests(first, command);
    const flaky: string[] = [];
    for (let retry = 1; retry <= params.flakyRetries && failing.length > 0; retry++) {
      const again = failingTests(await runTestsOnce(ctx, { command, cwd: ctx.workspace, env: params.env, label: `retry ${retry} of the failing tests` }), command);
      flaky.push(...failing.filter((name) => !again.includes(name)));
      failing = failing.filter((name) => again.includes(name));
    }
    let preExisting: string[] = [];
    if (failing.length > 0 && params.baseline && ctx.baseCommit) {
      const baseline = await onBaseline(ctx, command, params.setup, params.env);
      if (baseline) {
        const failsThere = failingTests(baseline, command);
        preExisting = failing.filter((name) => failsThere.includes(name));
        failing = failing.filter((name) => !failsThere.includes(name));
      }
    }
    const output: TestsRunOutput = { ran: true, ...counts(first), flaky, preExisting, failedByChange: failing, durationMs: Date.now() - started, format: first.parsed?.format ?? 'exit-code' };
    ctx.emit(TESTS_RESULT_EVENT, output);
    ctx.log.info('tests finished', { total: output.total, passed: output.passed, failed: output.failed, flaky: flaky.length, preExisting: preExisting.length, failedByChange: failing.length });
    if (failing.length > 0) {
      const names = failing.length > 10 ? [...failing.slice(0, 10), `and ${failing.length - 10} more`] : failing;
      throw new FlotillaError('step-failed', `${failing.length} ${failing.length === 1 ? 'test fails' : 'tests fail'} because of the change (${params.baseline && ctx.baseCommit ? 'they pass on the baseline' : 'the baseline was not run'}): ${names.join(', ')}`, {
        retryable: false,
        details: output,
      });
    }
    return output;
  },
});

function counts(attempt: TestAttempt): Pick<TestsRunOutput, 'total' | 'passed' | 'failed' | 'skipped'> {
  const parsed = attempt.parsed;
  if (!parsed) return { total: 0, passed: 0, failed: attempt.exitCode === 0 ? 0 : 1, skipped: 0 };
  return { total: parsed.total, passed: parsed.passed, failed: parsed.failed, skipped: parsed.skipped };
}

async function setupOrFail(ctx: StepContext, setup: string, cwd: string, env: Record<string, string> | undefined, where: string): Promise<void> {
  const code = await runSetup(ctx, setup, cwd, env);
  if (code !== 0) throw new FlotillaError('step-failed', `the setup command \`${setup}\` exited with code ${code} in ${where}`, { retryable: true, details: { exitCode: code } });
}

/** The test command on the baseline; undefined (and a warning) when the baseline cannot even be set up. */
async function onBaseline(ctx: StepContext, command: string, setup: string | undefined, env: Record<string, string> | undefined): Promise<TestAttempt | undefined> {
  return withBaselineTree(ctx.workspace, ctx.baseCommit, ctx.signal, async (dir) => {
    if (setup !== undefined && (await runSetup(ctx, setup, dir, env)) !== 0) {
      ctx.log.warn('the setup command failed on the baseline: every failing test counts as caused by the change', { setup });
      return undefined;
    }
    return runTestsOnce(ctx, { command, cwd: dir, env, label: 'the baseline, without the change' });
  });
}
