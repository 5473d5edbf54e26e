import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/git.js';
import { isFlotillaError } from '../model/errors.js';
import { collectChangeFacts } from './collect-change-facts.js';
import { resolveLocalChange } from './local-change.js';

let root: string;
let repo: string;

async function commit(file: string, text: string, message: string): Promise<string> {
  await writeFile(join(repo, file), text);
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', message]);
  return git(repo, ['rev-parse', 'HEAD']);
}

async function changedFiles(base: string, head: string): Promise<string[]> {
  const facts = await collectChangeFacts({ repoDir: repo, baseRef: base, headRef: head, target: { name: 'svc' }, campaign: { name: 'c' }, now: '2025-06-04T10:00:00Z' });
  return facts.files.map((file) => file.path).sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-local-change-'));
  repo = join(root, 'svc');
  await mkdir(repo);
  await git(repo, ['init', '-q', '-b', 'main']);
  await commit('README.md', 'svc\n', 'base');
  await git(repo, ['checkout', '-q', '-b', 'feature']);
  await commit('feature.js', 'export {};\n', 'feature');
  await git(repo, ['checkout', '-q', 'main']);
  await commit('landed.js', 'export {};\n', 'landed on main after the branch was cut');
  await git(repo, ['checkout', '-q', 'feature']);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveLocalChange', () => {
  it('compares HEAD with the merge base of main, so what landed on main since is not the change', async () => {
    const change = await resolveLocalChange({ repoDir: join(repo, '.') });
    expect(change).toMatchObject({ name: 'svc', baseRef: 'main', headRef: 'HEAD' });
    expect(change.baseCommit).toBe(await git(repo, ['merge-base', 'main', 'feature']));
    expect(await changedFiles(change.baseCommit, change.headCommit)).toEqual(['feature.js']);
  });

  it("prefers the upstream's default branch", async () => {
    const clone = join(root, 'clone');
    await git(root, ['clone', '-q', repo, clone]);
    await git(clone, ['checkout', '-q', '-b', 'mine']);
    const change = await resolveLocalChange({ repoDir: clone });
    expect(change.baseRef).toBe('origin/feature');
  });

  it('adds uncommitted and untracked changes with --worktree, without touching the index or any ref', async () => {
    await writeFile(join(repo, 'feature.js'), 'export const edited = true;\n');
    await writeFile(join(repo, 'untracked.js'), 'export {};\n');
    await writeFile(join(repo, '.gitignore'), 'ignored.log\n');
    await writeFile(join(repo, 'ignored.log'), 'noise\n');
    const refs = await git(repo, ['for-each-ref']);
    const status = await git(repo, ['status', '--porcelain']);
    const change = await resolveLocalChange({ repoDir: repo, worktree: true });
    expect(change.headRef).toBe('HEAD + working tree');
    expect(await changedFiles(change.baseCommit, change.headCommit)).toEqual(['.gitignore', 'feature.js', 'untracked.js']);
    expect(await git(repo, ['for-each-ref'])).toBe(refs);
    expect(await git(repo, ['status', '--porcelain'])).toBe(status);
  });

  it.each([
    [{ base: 'nope' }, '--base'],
    [{ head: 'nope' }, '--head'],
    [{ head: 'HEAD', worktree: true }, '--head'],
  ])('refuses %j as bad input naming %s', async (options, field) => {
    const error: unknown = await resolveLocalChange({ repoDir: repo, ...options }).catch((caught: unknown) => caught);
    expect(isFlotillaError(error) && [error.code, error.location?.field]).toEqual(['bad-input', field]);
  });

  it('refuses a folder that is not a repository', async () => {
    const error: unknown = await resolveLocalChange({ repoDir: await mkdtemp(join(tmpdir(), 'flotilla-not-a-repo-')) }).catch((caught: unknown) => caught);
    expect(isFlotillaError(error) && error.location?.field).toBe('--repo');
  });
});
