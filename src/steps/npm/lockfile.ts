import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FlotillaError } from '../../model/errors.js';
import { exec } from '../../process/exec.js';
import type { StepContext } from '../../sdk/step.js';

/** The lockfiles `npm install` keeps up to date, in the order npm prefers them. */
export const NPM_LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;

/** Lockfiles of other package managers, which an npm bump would leave stale. */
export const FOREIGN_LOCKFILES = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'] as const;

/** Reads a workspace file, or undefined when it does not exist. */
export async function readOptional(workspace: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(workspace, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The version a lockfile text resolves `name` to at the top level (lockfile v1, v2 and v3). */
export function lockedVersion(lockText: string, name: string): string | undefined {
  try {
    const lock = JSON.parse(lockText) as {
      packages?: Record<string, { version?: string }>;
      dependencies?: Record<string, { version?: string }>;
    };
    return lock.packages?.[`node_modules/${name}`]?.version ?? lock.dependencies?.[name]?.version;
  } catch {
    return undefined;
  }
}

/** npm failures worth a retry: the registry or the network, not the request. */
const TRANSIENT = /ETIMEDOUT|ECONNRESET|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|socket hang up|\bE5\d\d\b/;

/**
 * Brings the lockfile in line with package.json without installing anything: `--package-lock-only`
 * resolves from the registry's packuments and writes no node_modules, and `--ignore-scripts` makes sure
 * no lifecycle script of the target or of a dependency runs on our machine while doing so.
 */
export async function updateLockfile(ctx: StepContext): Promise<void> {
  const args = ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'];
  ctx.log.output(`$ npm ${args.join(' ')}\n`);
  const result = await exec('npm', args, {
    cwd: ctx.workspace,
    env: ctx.env,
    signal: ctx.signal,
    onOutput: (text) => ctx.log.output(text),
  });
  if (result.exitCode === 0) return;
  const words = (result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ');
  throw new FlotillaError('external', `npm could not update the lockfile: ${words}`, {
    retryable: TRANSIENT.test(result.stderr),
    details: { exitCode: result.exitCode },
  });
}
