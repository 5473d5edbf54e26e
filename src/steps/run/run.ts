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
      const tail = lastLines(`${result.stdout}\n${result.stderr}`, 5);
      throw new FlotillaError('step-failed', `\`${input.command}\` exited with code ${result.exitCode}${tail ? `: ${tail}` : ''}`, {
        retryable: true,
        details: { exitCode: result.exitCode },
      });
    }
    return { exitCode: 0 };
  },
});

function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}
