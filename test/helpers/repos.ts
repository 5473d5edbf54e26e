import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '../../src/git/git.js';

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'flotilla-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Creates a real git repository on `main` with the given files committed. */
export async function makeRepo(dir: string, files: Record<string, string>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '--quiet', '--initial-branch=main']);
  await writeFiles(dir, files);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '-m', 'initial']);
  return dir;
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

/** The content of `path` on `ref`, or undefined when it is not there. */
export async function showFile(repo: string, ref: string, path: string): Promise<string | undefined> {
  try {
    return await git(repo, ['show', `${ref}:${path}`]);
  } catch {
    return undefined;
  }
}

export async function branches(repo: string): Promise<string[]> {
  const out = await git(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/']);
  return out ? out.split('\n').sort() : [];
}

/** Merge commits on `main` (first parent), newest first. */
export async function mergeCommits(repo: string, branch = 'main'): Promise<string[]> {
  const out = await git(repo, ['rev-list', '--merges', '--first-parent', branch]);
  return out ? out.split('\n') : [];
}
