import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git, gitRaw } from '../git/git.js';

/**
 * A run's isolated workspace: a clone of the target under the state folder, owned by that run alone.
 *
 * The engine snapshots it after each change step (`git add -A` + `write-tree`): that tree is the change.
 * Validation steps (install, build, test) may write anything, but only the snapshot is committed.
 */
export function workspacePath(stateDir: string, campaign: string, target: string): string {
  const slug = target.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'target';
  const hash = createHash('sha256').update(target).digest('hex').slice(0, 8);
  return join(stateDir, 'workspaces', campaign, `${slug}-${hash}`);
}

/** True when `dir` holds a usable clone (a crash may leave a half-made one behind). */
export async function isWorkspaceReady(dir: string): Promise<boolean> {
  if (!existsSync(join(dir, '.git'))) return false;
  const result = await gitRaw(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return result.exitCode === 0;
}

export async function resetWorkspaceDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, '..'), { recursive: true });
}

/** The tree of everything in the workspace that git would commit (ignored files excluded). */
export async function snapshotTree(dir: string, signal?: AbortSignal): Promise<string> {
  const options = signal ? { signal } : {};
  await git(dir, ['add', '--all', '--', '.'], options);
  return git(dir, ['write-tree'], options);
}

/** Puts the workspace back to `treeish` exactly (tracked and untracked files; ignored files stay). */
export async function restoreTree(dir: string, treeish: string, signal?: AbortSignal): Promise<void> {
  const options = signal ? { signal } : {};
  await git(dir, ['read-tree', '--reset', '-u', treeish], options);
  await git(dir, ['clean', '-fdq'], options);
}

/** Tracked files whose content differs from `tree`: what a validation step changed. */
export async function filesChangedSince(dir: string, tree: string, signal?: AbortSignal): Promise<string[]> {
  const options = signal ? { signal } : {};
  const out = await git(dir, ['diff', '--name-only', '--no-renames', tree, '--'], options);
  return out ? out.split('\n') : [];
}

/** The tree of a commit. */
export function treeOf(dir: string, commit: string): Promise<string> {
  return git(dir, ['rev-parse', `${commit}^{tree}`]);
}
