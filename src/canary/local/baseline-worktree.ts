import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { git, gitRaw } from '../../git/git.js';

/**
 * The baseline's source tree: a second worktree of the run's workspace at the run's base commit, in a
 * sibling folder, so the unchanged build runs from the same commit the change starts from — not from
 * whatever the default branch is now — and nothing the baseline's build writes touches the workspace.
 *
 * The folder's name is fixed per workspace, so a retry or a resumed run first clears what a crash left.
 */
export function baselinePath(workspace: string): string {
  return join(dirname(workspace), `${basename(workspace)}.canary-baseline`);
}

export async function addBaselineWorktree(workspace: string, baseCommit: string, signal: AbortSignal): Promise<string> {
  const path = baselinePath(workspace);
  await removeBaselineWorktree(workspace);
  await git(workspace, ['worktree', 'add', '--quiet', '--detach', '--force', path, baseCommit], { signal });
  return path;
}

/** Removes the baseline worktree and git's record of it; safe to call when there is none. */
export async function removeBaselineWorktree(workspace: string): Promise<void> {
  const path = baselinePath(workspace);
  await gitRaw(workspace, ['worktree', 'remove', '--force', '--force', path]);
  await rm(path, { recursive: true, force: true });
  await gitRaw(workspace, ['worktree', 'prune']);
}
