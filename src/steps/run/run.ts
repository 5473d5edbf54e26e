import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { execShell } from '../../process/exec.js';
import { defineStep } from '../../sdk/step.js';

/**
 * Runs a command line in the workspace. Its output goes to the step log as it arrives; a non-zero exit
 * fails the step with the last lines of the output, and the step's `timeout` ends the whole process tree.
 */
export const runCommand = defineStep({
  id: 'run',
  description: 'Runs a shell command in the workspace; a non-zero exit fails the step.',
  kind: 'validate',
  workspace: true,
  input: z.strictObject({
    command: z.string().min(1),
    env: z.record(z.string(), z.string()).optional(),
  }),
  output: z.strictObject({ exitCode: z.number().int() }),
  examples: [
    { title: 'Run the tests', with: { command: 'npm test' } },
    { title: 'Build with an environment variable', with: { command: 'npm run build', env: { NODE_ENV: 'production' } } },
  ],
  async run(input, ctx) {
    const result = await execShell(input.command, {
      cwd: ctx.workspace,
      env: { ...ctx.env, ...input.env, CI: 'true' },
      signal: ctx.signal,
      onOutput: (text) => ctx.log.output(text),
    });
    if (result.exitCode !== 0) {
      const tail = failureSummary(`${result.stdout}\n${result.stderr}`);
      throw new FlotillaError('step-failed', `\`${input.command}\` exited with code ${result.exitCode}${tail ? `: ${tail}` : ''}`, {
        retryable: true,
        details: { exitCode: result.exitCode },
      });
    }
    return { exitCode: 0 };
  },
});

const FAILURE_LINE = /^(not ok\b|✖|×|FAIL\b|npm ERR!|npm error\b|error\b|\w*Error\b)/i;
const DETAIL_LINE = /^(expected|actual)\b/i;

/**
 * The line a person wants to see first from a failed command: the first failure the output names (TAP's
 * `not ok`, an `Error`, a `FAIL`), with the expected/actual values that follow it; else the last lines.
 */
export function failureSummary(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const first = lines.findIndex((line) => FAILURE_LINE.test(line));
  if (first === -1) return lines.slice(-3).join(' | ');
  const details = lines.slice(first + 1, first + 25).filter((line) => DETAIL_LINE.test(line));
  return [lines[first], ...details].join(' | ');
}
