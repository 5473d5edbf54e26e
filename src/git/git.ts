import { FlotillaError } from '../model/errors.js';
import { exec, type ExecResult } from '../process/exec.js';

/**
 * Every git command Flotilla runs goes through here, so that:
 * - no hook of a target repository ever runs (`core.hooksPath` points at an empty path; passed through
 *   GIT_CONFIG_PARAMETERS it also reaches the receive-pack of a local push);
 * - no user configuration changes what a command does (no system/global config, no pager, no prompts);
 * - commits have a fixed identity.
 */
export const GIT_IDENTITY = { name: 'Flotilla', email: 'flotilla@localhost' };

const SAFE_CONFIG = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'advice.detachedHead=false',
  '-c', 'init.defaultBranch=main',
  '-c', 'protocol.file.allow=always',
  '-c', 'commit.gpgSign=false',
  '-c', 'tag.gpgSign=false',
];

export function gitEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: GIT_IDENTITY.email,
    LC_ALL: 'C',
    ...extra,
  };
}

export interface GitOptions {
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Runs git and returns the result whatever the exit code. */
export function gitRaw(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<ExecResult> {
  return exec('git', [...SAFE_CONFIG, ...args], {
    cwd,
    env: gitEnv(options.env),
    signal: options.signal,
    input: options.input,
  });
}

/** Runs git and returns trimmed stdout; a non-zero exit is an `external` error with git's own words. */
export async function git(cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  const result = await gitRaw(cwd, args, options);
  if (result.exitCode !== 0) {
    const words = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new FlotillaError('external', `git ${args[0] ?? ''} failed: ${words}`, {
      details: { args, exitCode: result.exitCode },
    });
  }
  return result.stdout.trim();
}
