import { access } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { FlotillaError } from '../../model/errors.js';
import { exec } from '../../process/exec.js';
import type { StepContext } from '../../sdk/step.js';
import { findExecutable } from '../find-tool.js';

/** A lockfile next to an edited pyproject.toml, and the tool that owns it. */
export interface PythonLockfile {
  file: string;
  tool: 'poetry' | 'uv' | 'pdm';
  /** How the tool rewrites the lockfile for a changed pyproject.toml, keeping other pins. */
  command: string[][];
}

const KNOWN: readonly Omit<PythonLockfile, 'file'>[] = [
  // Poetry 1.x needs --no-update to keep the other pins; Poetry 2 refuses the flag and keeps them by default.
  { tool: 'poetry', command: [['lock', '--no-update', '--no-interaction'], ['lock', '--no-interaction']] },
  { tool: 'uv', command: [['lock']] },
  { tool: 'pdm', command: [['lock', '--update-reuse']] },
];

/** The lockfiles beside the given pyproject.toml files (workspace-relative). */
export async function lockfilesBeside(workspace: string, pyprojects: readonly string[]): Promise<PythonLockfile[]> {
  const found: PythonLockfile[] = [];
  for (const pyproject of pyprojects) {
    const folder = posix.dirname(pyproject);
    for (const known of KNOWN) {
      const file = folder === '.' ? `${known.tool}.lock` : `${folder}/${known.tool}.lock`;
      if (await access(join(workspace, file)).then(() => true, () => false)) found.push({ ...known, file });
    }
  }
  return found;
}

/** The lockfiles whose tool is not on PATH. */
export async function missingTools(lockfiles: readonly PythonLockfile[], env: StepContext['env']): Promise<PythonLockfile[]> {
  const missing: PythonLockfile[] = [];
  for (const lockfile of lockfiles) if (!(await findExecutable(lockfile.tool, env))) missing.push(lockfile);
  return missing;
}

/** Runs each lockfile's own tool in its folder; a tool that fails fails the step with its words. */
export async function relock(ctx: StepContext, lockfiles: readonly PythonLockfile[]): Promise<void> {
  for (const lockfile of lockfiles) {
    const cwd = join(ctx.workspace, dirname(lockfile.file));
    let last = '';
    let done = false;
    for (const args of lockfile.command) {
      const result = await exec(lockfile.tool, args, { cwd, env: ctx.env, signal: ctx.signal, onOutput: (text) => ctx.log.output(text) });
      if (result.exitCode === 0) {
        done = true;
        break;
      }
      last = (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ');
    }
    if (!done) throw new FlotillaError('external', `${lockfile.tool} could not update ${lockfile.file}: ${last}`, { retryable: true });
    ctx.log.info('lockfile updated by its tool', { file: lockfile.file, tool: lockfile.tool });
  }
}
