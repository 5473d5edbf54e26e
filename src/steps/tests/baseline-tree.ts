import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { git, gitRaw } from '../../git/git.js';

/** The baseline's folder: beside the workspace (not inside it, so nothing in it can reach the change). */
export function baselineDir(workspace: string): string {
  return join(dirname(workspace), `${basename(workspace)}.baseline`);
}

/**
 * Runs `fn` in a checkout of `commit` — the unchanged baseline — made with `git worktree add` from the
 * workspace's own repository (no second clone, no network), and removes it afterwards whatever happens.
 * A folder left by a crash is removed first.
 */
export async function withBaselineTree<T>(workspace: string, commit: string, signal: AbortSignal, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = baselineDir(workspace);
  await removeBaseline(workspace, dir);
  await git(workspace, ['worktree', 'add', '--detach', '--force', dir, commit], { signal });
  try {
    return await fn(dir);
  } finally {
    await removeBaseline(workspace, dir);
  }
}

async function removeBaseline(workspace: string, dir: string): Promise<void> {
  await gitRaw(workspace, ['worktree', 'remove', '--force', dir]);
  await rm(dir, { recursive: true, force: true });
  await gitRaw(workspace, ['worktree', 'prune']);
}
