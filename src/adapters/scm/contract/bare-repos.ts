import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, gitRaw } from '../../../git/git.js';

/**
 * The real git repositories behind the contract fakes: bare repositories under one root, with the few
 * operations a code host performs on its side (show a file, compute mergeability, merge a pull
 * request, commit on a branch as a person would).
 *
 * Test infrastructure for the SCM contract fakes; not used by Flotilla itself.
 */
export class BareRepos {
  private constructor(readonly root: string) {}

  static async create(): Promise<BareRepos> {
    return new BareRepos(await mkdtemp(join(tmpdir(), 'flotilla-fake-host-')));
  }

  path(name: string): string {
    return join(this.root, `${name}.git`);
  }

  /** A bare repository `name` (`owner/repo`) whose `main` holds `files`. */
  async seed(name: string, files: Record<string, string>, branch = 'main'): Promise<string> {
    const bare = this.path(name);
    await rm(bare, { recursive: true, force: true });
    await mkdir(dirname(bare), { recursive: true });
    await git(this.root, ['init', '--quiet', '--bare', `--initial-branch=${branch}`, bare]);
    return this.commit(name, branch, files, 'initial');
  }

  /** Commits `files` on `branch` as a person pushing to the host would. */
  async commit(name: string, branch: string, files: Record<string, string>, message: string): Promise<string> {
    const work = await mkdtemp(join(tmpdir(), 'flotilla-fake-work-'));
    try {
      const bare = this.path(name);
      const exists = (await gitRaw(bare, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).exitCode === 0;
      if (exists) await git(this.root, ['clone', '--quiet', '--branch', branch, bare, work]);
      else await git(this.root, ['init', '--quiet', `--initial-branch=${branch}`, work]);
      for (const [file, text] of Object.entries(files)) {
        await mkdir(dirname(join(work, file)), { recursive: true });
        await writeFile(join(work, file), text);
      }
      await git(work, ['add', '--all']);
      await git(work, ['commit', '--quiet', '-m', message]);
      await git(work, ['push', '--quiet', bare, `HEAD:refs/heads/${branch}`]);
      return await git(work, ['rev-parse', 'HEAD']);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async head(name: string, branch: string): Promise<string | undefined> {
    const result = await gitRaw(this.path(name), ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async show(name: string, ref: string, file: string): Promise<string | undefined> {
    const result = await gitRaw(this.path(name), ['show', `${ref}:${file}`]);
    return result.exitCode === 0 ? result.stdout : undefined;
  }

  async isAncestor(name: string, commit: string, of: string): Promise<boolean> {
    return (await gitRaw(this.path(name), ['merge-base', '--is-ancestor', commit, of])).exitCode === 0;
  }

  /** The merged tree of `base` and `head`, or undefined when they conflict. */
  async mergeTree(name: string, base: string, head: string): Promise<string | undefined> {
    const result = await gitRaw(this.path(name), ['merge-tree', '--write-tree', '--no-messages', base, head]);
    return result.exitCode === 0 ? result.stdout.trim().split('\n')[0] : undefined;
  }

  /** Merges `head` into `branch` (a merge commit, or one squashed commit); undefined on conflict. */
  async merge(name: string, branch: string, head: string, message: string, method: 'merge' | 'squash'): Promise<string | undefined> {
    const bare = this.path(name);
    const base = await this.head(name, branch);
    if (!base) return undefined;
    const tree = await this.mergeTree(name, base, head);
    if (!tree) return undefined;
    const parents = method === 'merge' ? ['-p', base, '-p', head] : ['-p', base];
    const commit = await git(bare, ['commit-tree', tree, ...parents, '-m', message]);
    await git(bare, ['update-ref', `refs/heads/${branch}`, commit, base]);
    return commit;
  }

  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
