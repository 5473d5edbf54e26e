import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { FlotillaError } from '../../model/errors.js';
import { gitRaw } from '../../git/git.js';

/**
 * The files a codemod may touch: tracked by git (so build output, vendored installs and ignored files
 * are never rewritten) and matching the campaign's globs. Globs use picomatch syntax relative to the
 * repository root, with `dot: true` so `**` also reaches `.github/` and other dot folders.
 */
export async function trackedFilesMatching(workspace: string, globs: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const result = await gitRaw(workspace, ['ls-files', '-z', '--cached'], { signal });
  if (result.exitCode !== 0) {
    throw new FlotillaError('external', `git ls-files failed: ${result.stderr.trim()}`, { details: { exitCode: result.exitCode } });
  }
  const matches = picomatch([...globs], { dot: true });
  return result.stdout.split('\0').filter((file) => file !== '' && matches(file));
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a file as text, or undefined when it must not be edited as text: not a regular file (a
 * symlink could point outside the workspace; a submodule is a folder), binary (a NUL byte in its first
 * 8000 bytes, git's own test), or not valid UTF-8 (rewriting it would corrupt it).
 */
export async function readTextFile(workspace: string, file: string): Promise<string | undefined> {
  const path = join(workspace, file);
  const stats = await lstat(path).catch(() => undefined);
  if (!stats?.isFile()) return undefined;
  const bytes = await readFile(path);
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
