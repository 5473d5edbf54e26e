import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlotillaError } from '../../model/errors.js';
import { isEndRun } from '../../sdk/step.js';
import { makeRepo, tempDir, writeFiles } from '../../../test/helpers/repos.js';
import { makeTestContext } from '../testing/step-context.js';
import { codemodAstGrep } from './ast-grep.js';

const SOURCE = `// console.log(stays) in a comment\nconst s = "console.log(in a string)";\nconsole.log('a', b,   c); // trailing\nfunction f() {\n  console.log(console.log(1));\n}\n`;

async function rewrite(files: Record<string, string>, withInput: Record<string, unknown>, untracked: Record<string, string> = {}) {
  const workspace = await makeRepo(join(await tempDir(), 'repo'), files);
  await writeFiles(workspace, untracked);
  const ctx = makeTestContext({ workspace });
  const result = await codemodAstGrep.run(codemodAstGrep.input.parse(withInput), ctx);
  const read = (file: string): Promise<string> => readFile(join(workspace, file), 'utf8');
  return { result, read };
}

const LOGGER = { language: 'typescript', pattern: 'console.log($$$ARGS)', rewrite: 'logger.info($$$ARGS)' };

describe('codemod/ast-grep', () => {
  it('rewrites matches with their metavariables, never in comments or strings, outermost first', async () => {
    const { result, read } = await rewrite({ 'src/a.ts': SOURCE, 'src/b.js': SOURCE }, LOGGER, { 'src/untracked.ts': SOURCE });
    expect(await read('src/a.ts')).toBe(
      `// console.log(stays) in a comment\nconst s = "console.log(in a string)";\nlogger.info('a', b,   c); // trailing\nfunction f() {\n  logger.info(console.log(1));\n}\n`,
    );
    expect(await read('src/b.js')).toBe(SOURCE);
    expect(await read('src/untracked.ts')).toBe(SOURCE);
    expect(result).toEqual({ files: ['src/a.ts'], matches: 2 });
  });

  it('uses single metavariables and the given globs', async () => {
    const { result, read } = await rewrite({ 'lib/x.js': 'const a = require("old-lib");\n', 'src/y.js': 'require("old-lib");\n' }, {
      language: 'javascript',
      pattern: 'require($NAME)',
      rewrite: 'await import($NAME)',
      files: ['lib/**'],
    });
    expect(await read('lib/x.js')).toBe('const a = await import("old-lib");\n');
    expect(await read('src/y.js')).toBe('require("old-lib");\n');
    expect(result).toEqual({ files: ['lib/x.js'], matches: 1 });
  });

  it('skips when nothing matched, and fails with a reason when changes were expected', async () => {
    const skipped = await rewrite({ 'a.ts': 'const x = 1;\n' }, LOGGER);
    expect(isEndRun(skipped.result) && skipped.result.outcome).toBe('skipped');
    const failed = await rewrite({ 'a.ts': 'const x = 1;\n' }, { ...LOGGER, expectChanges: true });
    expect(isEndRun(failed.result) && failed.result.outcome).toBe('failed');
    expect(isEndRun(failed.result) && failed.result.reasons[0]).toMatch(/matched nothing in .*changes were expected/);
  });

  it('refuses a rewrite that names a metavariable the pattern does not bind', async () => {
    await expect(rewrite({ 'a.ts': 'console.log(1);\n' }, { ...LOGGER, rewrite: 'logger.info($OTHER)' })).rejects.toThrow(FlotillaError);
  });
});
