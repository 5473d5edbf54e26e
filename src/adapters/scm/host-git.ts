import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownersOf, parseCodeowners } from '../../compliance/codeowners.js';
import { git, gitRaw, type GitOptions } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import type { CheckResult, CheckStatus } from './scm.js';

/**
 * Git over HTTPS for the code host adapters. The token travels only in an `http.<origin>/.extraHeader`
 * set through git's GIT_CONFIG_COUNT environment — never in argv (visible to every process), never in
 * the remote URL (stored in .git/config and printed in errors) — and only to that origin.
 */
export interface HostGit {
  /** Environment that authenticates git to the host. */
  env: Record<string, string>;
  /** Removes the token (in every form) from a message. */
  redact: (text: string) => string;
}

export function hostGit(cloneUrl: string, username: string, token: string, redact: (text: string) => string): HostGit {
  const origin = new URL(cloneUrl).origin;
  const basic = Buffer.from(`${username}:${token}`).toString('base64');
  return {
    env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` },
    redact: (text) => redact(text).split(basic).join('***'),
  };
}

/** Runs git with the host's authentication; an error message never holds the token. */
export async function runHostGit(auth: HostGit, cwd: string, args: readonly string[], options: GitOptions = {}): Promise<string> {
  try {
    return await git(cwd, args, { ...options, env: { ...options.env, ...auth.env } });
  } catch (error) {
    if (error instanceof FlotillaError) throw new FlotillaError(error.code, auth.redact(error.message), { retryable: true, details: { args: args.slice(0, 2) } });
    throw error;
  }
}

/** The files a change touches, compared with its parent (Flotilla's change commits have one parent: the base). */
export async function changedFiles(workspace: string, commit: string, signal?: AbortSignal): Promise<string[]> {
  const out = await git(workspace, ['diff', '--name-only', '--no-renames', '-z', `${commit}^`, commit], signal ? { signal } : {});
  return out.split('\0').filter(Boolean);
}

const CODEOWNERS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

/**
 * The owners of the changed files by the repository's CODEOWNERS (at the change's commit): people
 * (`@name`) and teams (`@org/team`). Emails are left out: hosts request reviews by account.
 */
export async function codeOwners(workspace: string, commit: string, files: readonly string[], signal?: AbortSignal): Promise<{ users: string[]; teams: string[] }> {
  let text: string | undefined;
  for (const path of CODEOWNERS) {
    const shown = await gitRaw(workspace, ['show', `${commit}:${path}`], signal ? { signal } : {});
    if (shown.exitCode === 0) {
      text = shown.stdout;
      break;
    }
  }
  const users = new Set<string>();
  const teams = new Set<string>();
  if (text === undefined) return { users: [], teams: [] };
  const rules = parseCodeowners(text);
  for (const file of files) {
    for (const owner of ownersOf(rules, file)?.owners ?? []) {
      if (!owner.startsWith('@')) continue;
      if (owner.includes('/')) teams.add(owner.slice(1));
      else users.add(owner.slice(1));
    }
  }
  return { users: [...users].sort(), teams: [...teams].sort() };
}

/**
 * A commit on top of `base` that undoes `mergeCommit` (its changes against its first parent), made in a
 * temporary worktree so the run's workspace is left as it is. A revert that conflicts with later work
 * on the base branch is a `conflict`.
 */
export async function revertCommit(workspace: string, base: string, mergeCommit: string, message: string, signal?: AbortSignal): Promise<string> {
  const options = signal ? { signal } : {};
  const folder = await mkdtemp(join(tmpdir(), 'flotilla-revert-'));
  const tree = join(folder, 'tree');
  try {
    await git(workspace, ['worktree', 'add', '--quiet', '--detach', tree, base], options);
    const parents = (await git(workspace, ['rev-list', '--parents', '-n', '1', mergeCommit], options)).split(' ').length - 1;
    const reverted = await gitRaw(tree, ['revert', '--no-edit', ...(parents > 1 ? ['-m', '1'] : []), mergeCommit], options);
    if (reverted.exitCode !== 0) {
      throw new FlotillaError('conflict', `the revert of ${mergeCommit.slice(0, 10)} does not apply cleanly on the base branch`, { details: { output: reverted.stdout.trim().slice(-500) } });
    }
    await git(tree, ['commit', '--amend', '--quiet', '-F', '-'], { ...options, input: message });
    return await git(tree, ['rev-parse', 'HEAD'], options);
  } finally {
    await gitRaw(workspace, ['worktree', 'remove', '--force', tree]);
    await rm(folder, { recursive: true, force: true });
  }
}

/** The base branch's head on the host, fetched into the workspace. */
export async function fetchBase(auth: HostGit, workspace: string, baseBranch: string, signal?: AbortSignal): Promise<string> {
  await runHostGit(auth, workspace, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${baseBranch}:refs/remotes/origin/${baseBranch}`], signal ? { signal } : {});
  return git(workspace, ['rev-parse', `refs/remotes/origin/${baseBranch}`]);
}

/** Failure wins over pending, pending over success; no checks at all is `none`. */
export function combine(checks: readonly CheckResult[]): CheckStatus['state'] {
  if (checks.length === 0) return 'none';
  if (checks.some((check) => check.state === 'failure')) return 'failure';
  if (checks.some((check) => check.state === 'pending')) return 'pending';
  return 'success';
}
