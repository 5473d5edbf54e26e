import { execShell } from '../../process/exec.js';
import type { StepContext } from '../../sdk/step.js';
import { readNewReports, snapshotReports } from './junit-reports.js';
import { parseTap } from './parse-tap.js';
import type { ParsedTests } from './parsed-tests.js';

/** One run of the test command in one tree. */
export interface TestAttempt {
  exitCode: number;
  /** Undefined when neither the output nor a JUnit report could be read: only the exit code is known. */
  parsed: ParsedTests | undefined;
  output: string;
}

export interface AttemptOptions {
  command: string;
  cwd: string;
  env?: Record<string, string> | undefined;
  /** Shown in the step log before the output, so a reader knows which run it is. */
  label: string;
}

/**
 * Runs the test command once and reads what it can: a JUnit report the run wrote wins (it names tests
 * the same way whatever the runner prints), else the TAP or spec summary in the output, else nothing.
 */
export async function runTestsOnce(ctx: StepContext, options: AttemptOptions): Promise<TestAttempt> {
  ctx.log.info(`running the tests: ${options.label}`, { command: options.command });
  const before = await snapshotReports(options.cwd);
  const result = await execShell(options.command, {
    cwd: options.cwd,
    env: { ...ctx.env, ...options.env, CI: 'true' },
    signal: ctx.signal,
    onOutput: (text) => ctx.log.output(text),
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const parsed = (await readNewReports(options.cwd, before)) ?? parseTap(output);
  return { exitCode: result.exitCode, parsed, output };
}

/** Runs a setup command (dependencies) in a tree; a failure fails the step: nothing can be judged without it. */
export async function runSetup(ctx: StepContext, command: string, cwd: string, env: Record<string, string> | undefined): Promise<number> {
  ctx.log.info('running the setup command', { command, cwd });
  const result = await execShell(command, { cwd, env: { ...ctx.env, ...env, CI: 'true' }, signal: ctx.signal, onOutput: (text) => ctx.log.output(text) });
  return result.exitCode;
}

/**
 * The tests an attempt shows failing: their names when the output names them; when it does not (only an
 * exit code, or a summary without names), the whole command stands for them.
 */
export function failingTests(attempt: TestAttempt, command: string): string[] {
  if (attempt.exitCode === 0 && (attempt.parsed?.failed ?? 0) === 0) return [];
  const names = attempt.parsed?.failures ?? [];
  return names.length > 0 ? names : [command];
}
