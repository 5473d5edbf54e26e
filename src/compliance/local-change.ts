import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { git, gitRaw } from '../git/git.js';
import { badInput } from '../model/errors.js';

/**
 * Which change `flotilla check` looks at in a local repository. Decisions, documented in the README:
 *
 * - **base**: `--base`, else the upstream's default branch (`origin/HEAD`), else `main`, else `master`;
 *   the diff starts at the merge base of base and head, as a pull request's does, so commits that
 *   landed on the base since the branch was cut are not counted as the change;
 * - **head**: `--head`, else `HEAD`: committed work only, what a push would send, so the result does not
 *   depend on editor buffers or build output;
 * - **`--worktree`**: adds the uncommitted changes (tracked and untracked files, `.gitignore` honoured),
 *   staged in a temporary index and wrapped in a commit object no ref points to. The repository's
 *   index, branches and files are never touched.
 */
export interface LocalChangeOptions {
  repoDir: string;
  base?: string;
  head?: string;
  worktree?: boolean;
  signal?: AbortSignal;
}

export interface LocalChange {
  /** The repository's top folder. */
  repoDir: string;
  /** The target name the checks see: the repository folder's name. */
  name: string;
  /** The base as asked or found (`origin/main`), and the merge-base commit the diff starts from. */
  baseRef: string;
  baseCommit: string;
  /** The head as asked (`HEAD`, or `HEAD + working tree`) and its commit. */
  headRef: string;
  headCommit: string;
}

const DEFAULT_BASES = ['main', 'master'];

export async function resolveLocalChange(options: LocalChangeOptions): Promise<LocalChange> {
  const { signal } = options;
  const top = await gitRaw(resolve(options.repoDir), ['rev-parse', '--show-toplevel'], { signal });
  if (top.exitCode !== 0) throw badInput(`${options.repoDir} is not a git repository`, { field: '--repo' });
  const repoDir = top.stdout.trim();
  if (options.worktree && options.head !== undefined) {
    throw badInput('--worktree checks HEAD plus the uncommitted changes; it cannot be combined with --head', { field: '--head' });
  }
  const headRef = options.head ?? 'HEAD';
  const head = await commitOf(repoDir, headRef, '--head', signal);
  const baseRef = options.base ?? (await defaultBase(repoDir, signal));
  const base = await commitOf(repoDir, baseRef, '--base', signal);
  const mergeBase = await gitRaw(repoDir, ['merge-base', base, head], { signal });
  // Unrelated histories have no merge base: compare with the base itself.
  const baseCommit = mergeBase.exitCode === 0 ? mergeBase.stdout.trim() : base;
  const change: LocalChange = { repoDir, name: basename(repoDir), baseRef, baseCommit, headRef, headCommit: head };
  if (!options.worktree) return change;
  return { ...change, headRef: 'HEAD + working tree', headCommit: await worktreeCommit(repoDir, head, signal) };
}

async function commitOf(repoDir: string, ref: string, field: string, signal: AbortSignal | undefined): Promise<string> {
  const result = await gitRaw(repoDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { signal });
  const commit = result.stdout.trim();
  if (result.exitCode !== 0 || !commit) throw badInput(`${field} ${ref} is not a commit in ${repoDir}`, { field });
  return commit;
}

async function defaultBase(repoDir: string, signal: AbortSignal | undefined): Promise<string> {
  const upstream = await gitRaw(repoDir, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { signal });
  if (upstream.exitCode === 0 && upstream.stdout.trim()) return upstream.stdout.trim();
  for (const branch of DEFAULT_BASES) {
    const found = await gitRaw(repoDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { signal });
    if (found.exitCode === 0) return branch;
  }
  throw badInput('no --base given, and the repository has no origin/HEAD, main or master to compare with', { field: '--base' });
}

/** HEAD plus every uncommitted change, as a commit object, staged through a throwaway index. */
async function worktreeCommit(repoDir: string, head: string, signal: AbortSignal | undefined): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'flotilla-check-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    await git(repoDir, ['read-tree', head], { env, signal });
    await git(repoDir, ['add', '--all', '--', '.'], { env, signal });
    const tree = await git(repoDir, ['write-tree'], { env, signal });
    return await git(repoDir, ['commit-tree', tree, '-p', head, '-m', 'flotilla check: uncommitted changes'], { signal });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
