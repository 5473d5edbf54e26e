import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from '../../git/git.js';

/**
 * Test helper: a real git repository with the given files committed on `branch`. Tests of facts and
 * fleets run against real repositories rather than mocked git output, so a wrong flag fails a test.
 */
export async function createGitRepo(path: string, files: Record<string, string>, options: { branch?: string } = {}): Promise<string> {
  await mkdir(path, { recursive: true });
  await git(path, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`]);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(path, name)), { recursive: true });
    await writeFile(join(path, name), content);
  }
  await git(path, ['add', '--all']);
  await git(path, ['commit', '--quiet', '--allow-empty', '-m', 'initial']);
  return git(path, ['rev-parse', 'HEAD']);
}
