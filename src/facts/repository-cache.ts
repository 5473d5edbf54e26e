import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../git/git.js';

/**
 * Local mirrors of remote repositories, so that facts can be read with plain git commands and a
 * campaign over a hundred URLs clones each one once. A mirror lives under
 * `<stateDir>/mirrors/<sha1 of the URL>` and is refreshed with `git fetch --prune` on each later use.
 */

/** `https://`, `ssh://`, `file://` and scp-like `user@host:path` (`git@github.com:org/repo.git`). */
export function isRepositoryUrl(repo: string): boolean {
  return /^(https|ssh|file):\/\//i.test(repo) || /^[A-Za-z0-9_][\w.-]*@[\w.-]+:/.test(repo);
}

/** Something written as a URL with a scheme Flotilla does not fetch from (`http://`, `git://`, `ext::`). */
export function isUnsupportedUrl(repo: string): boolean {
  return !isRepositoryUrl(repo) && /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/|:)/.test(repo);
}

export interface ResolveOptions {
  signal?: AbortSignal;
}

const inFlight = new Map<string, Promise<string>>();

/**
 * A local path to read `repo` from: a local path as it is; a URL as its mirror, cloned on first use and
 * fetched on later uses. Concurrent calls for the same URL share one clone or fetch.
 */
export function resolveRepository(repo: string, stateDir: string, options: ResolveOptions = {}): Promise<string> {
  if (!isRepositoryUrl(repo)) return Promise.resolve(repo);
  const mirror = mirrorPath(repo, stateDir);
  const pending = inFlight.get(mirror);
  if (pending) return pending;
  const work = refreshMirror(repo, mirror, options).finally(() => inFlight.delete(mirror));
  inFlight.set(mirror, work);
  return work;
}

/** Where the mirror of `url` lives. */
export function mirrorPath(url: string, stateDir: string): string {
  return join(stateDir, 'mirrors', createHash('sha1').update(url).digest('hex'));
}

async function refreshMirror(url: string, mirror: string, options: ResolveOptions): Promise<string> {
  if (await exists(mirror)) {
    await git(mirror, ['fetch', '--prune', '--quiet'], { signal: options.signal });
    return mirror;
  }
  const parent = join(mirror, '..');
  await mkdir(parent, { recursive: true });
  // Clone beside the final place and rename: a crash mid-clone never leaves a half mirror in use.
  const partial = `${mirror}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await git(parent, ['clone', '--mirror', '--quiet', '--', url, partial], { signal: options.signal });
    await rename(partial, mirror);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Another process finished the same clone first: use theirs.
    if (await exists(mirror)) return mirror;
    throw error;
  }
  return mirror;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
