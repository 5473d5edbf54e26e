import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { isEndRun } from '../../sdk/step.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { makeTestContext } from '../testing/step-context.js';
import { codemodScript } from './script.js';

async function run(files: Record<string, string>, withInput: Record<string, unknown>, prepare?: (workspace: string) => Promise<void>) {
  const workspace = await makeRepo(join(await tempDir(), 'repo'), { '.gitignore': 'build/\n', ...files });
  await prepare?.(workspace);
  const ctx = makeTestContext({ workspace });
  const result = await codemodScript.run(codemodScript.input.parse(withInput), ctx);
  return { result, workspace, ctx };
}

describe('codemod/script', () => {
  it('reports files a command changed, added and deleted — not ignored ones', async () => {
    const { result } = await run({ 'a.txt': 'old\n', 'b.txt': 'gone\n' }, { command: "sed -i 's/old/new/' a.txt && rm b.txt && echo hi > c.txt && mkdir -p build && echo x > build/out" });
    expect(result).toEqual({ files: ['a.txt', 'b.txt', 'c.txt'] });
  });

  it('sees a file changed again that an earlier change step had already changed (and staged)', async () => {
    const { result, workspace } = await run({ 'a.txt': 'one\n' }, { command: 'echo three > a.txt' }, async (workspace) => {
      await writeFile(join(workspace, 'a.txt'), 'two\n');
      await git(workspace, ['add', 'a.txt']);
    });
    expect(result).toEqual({ files: ['a.txt'] });
    expect(await git(workspace, ['diff', '--cached', '--name-only'])).toBe('a.txt');
  });

  it('calls a module export in the workspace with the target facts', async () => {
    const modules = await tempDir();
    const module = join(modules, 'codemod.mjs');
    await writeFile(module, "import { writeFile } from 'node:fs/promises';\nexport async function migrate({ workspace, target }) { await writeFile(workspace + '/name.txt', target.name + ' ' + process.cwd()); }\n");
    const { result, workspace } = await run({ 'a.txt': 'x\n' }, { module, export: 'migrate' });
    expect(result).toEqual({ files: ['name.txt'] });
    expect(await readFile(join(workspace, 'name.txt'), 'utf8')).toBe(`test-target ${workspace}`);
  });

  it('skips when nothing changed, and fails with a reason when changes were expected', async () => {
    const skipped = await run({ 'a.txt': 'x\n' }, { command: 'true' });
    expect(isEndRun(skipped.result) && skipped.result.outcome).toBe('skipped');
    const failed = await run({ 'a.txt': 'x\n' }, { command: 'true', expectChanges: true });
    expect(isEndRun(failed.result) && failed.result.outcome).toBe('failed');
    expect(isEndRun(failed.result) && failed.result.reasons).toEqual(['codemod/script changed nothing, and changes were expected']);
  });

  it('fails the step with the output when the script fails', async () => {
    const failing = run({ 'a.txt': 'x\n' }, { command: 'echo "Error: no codemod here" >&2; exit 3' });
    await expect(failing).rejects.toThrow(FlotillaError);
    await expect(failing).rejects.toThrow(/exited with code 3: Error: no codemod here/);
    const missing = run({ 'a.txt': 'x\n' }, { module: 'node:path', export: 'nope' });
    await expect(missing).rejects.toThrow(/exited with code 64/);
  });
});

describe('codemod/script input', () => {
  it.each([
    [{ command: 'true' }, true],
    [{ module: './m.mjs', export: 'run' }, true],
    [{}, false],
    [{ command: 'true', module: './m.mjs' }, false],
    [{ command: 'true', export: 'run' }, false],
  ])('%j is valid: %s', (value, valid) => {
    expect(codemodScript.input.safeParse(value).success).toBe(valid);
  });
});
