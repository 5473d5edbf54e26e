import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Document, isSeq } from 'yaml';
import { gitRaw } from '../git/git.js';
import type { FleetSpec, TargetSpec } from '../model/fleet.js';
import { detectAtCommit } from './detect-facts.js';

/**
 * Builds a first fleet from a folder of repositories (`flotilla init`), so a user starts from a
 * working `fleet.yaml` instead of a blank page. Repositories are looked for directly under the folder
 * and one level deeper (`services/api`), which covers the usual "all our repos checked out here" layout.
 */

/** Folders never searched: tooling and dependencies, not targets. */
const SKIPPED = new Set(['node_modules', 'vendor']);

/**
 * Finds the repositories under `dir`; their `repo` paths are relative to `fleetDir` (where the fleet file
 * will be written; default `dir`), so the file works from where it is saved.
 */
export async function discoverFleet(dir: string, fleetDir: string = dir): Promise<FleetSpec> {
  const repositories: string[] = [];
  for (const child of await subfolders(dir)) {
    if (await isGitRepository(child)) {
      repositories.push(child);
      continue;
    }
    for (const grandchild of await subfolders(child)) {
      if (await isGitRepository(grandchild)) repositories.push(grandchild);
    }
  }
  const relativePaths = repositories.map((path) => relative(dir, path).split(sep).join('/'));
  const baseNames = relativePaths.map((path) => path.split('/').pop() ?? path);
  const targets: TargetSpec[] = [];
  for (const [index, path] of relativePaths.entries()) {
    const base = baseNames[index] ?? path;
    // Two `api` folders in different groups keep their group in the name, so names stay unique.
    const name = baseNames.filter((other) => other === base).length > 1 ? path : base;
    const fromFleet = relative(fleetDir, repositories[index] ?? path).split(sep).join('/');
    const target: TargetSpec = { name, repo: fromFleet.startsWith('.') ? fromFleet : `./${fromFleet}`, tier: 2, tags: [] };
    const test = await detectedTestCommand(repositories[index] ?? '');
    if (test) target.test = test;
    targets.push(target);
  }
  return { targets };
}

const HEADER = [
  ' Flotilla fleet: the targets a campaign can select.',
  ' Each target: name (unique), repo (a path relative to this file, or a git URL) and, optionally,',
  ' branch (default: the repository HEAD), owner, tier (0 = most critical … 3 = least; default 2),',
  ' tags, and test (the command that runs its tests; detected when omitted).',
].join('\n');

/** `fleet.yaml` text for a fleet: a header comment that explains the fields, then one entry per target. */
export function renderFleetYaml(spec: FleetSpec, header: string = HEADER): string {
  const document = new Document(spec);
  document.commentBefore = header;
  const targets = document.get('targets', true);
  if (isSeq(targets)) {
    if (targets.items.length === 0) targets.flow = true;
    targets.items.forEach((_item, index) => {
      const tags = document.getIn(['targets', index, 'tags'], true);
      if (isSeq(tags)) tags.flow = true;
    });
  }
  return document.toString({ lineWidth: 0 });
}

async function subfolders(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** A working tree with its own `.git` (a folder, or a file for worktrees and submodules), or a bare repository. */
async function isGitRepository(path: string): Promise<boolean> {
  if (await exists(join(path, '.git'))) return true;
  return (await exists(join(path, 'HEAD'))) && (await exists(join(path, 'objects'))) && (await exists(join(path, 'refs')));
}

async function detectedTestCommand(repoPath: string): Promise<string | undefined> {
  const head = await gitRaw(repoPath, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) return undefined;
  const facts = await detectAtCommit(repoPath, head.stdout.trim());
  return facts.testCommand || undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
