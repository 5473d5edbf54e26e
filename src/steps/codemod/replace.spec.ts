import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext } from '../testing/step-context.js';
import { codemodReplace } from './replace.js';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-codemod-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TRACKED: Record<string, string | Buffer> = {
  '.gitignore': 'src/ignored.ts\n',
  'src/a.ts': "import log from 'old-logger';\nlog('old-logger', 'old-logger');\n",
  'src/b.ts': 'export const nothing = 1;\n',
  'src/nested/c.ts': "export * from 'old-logger';\r\n",
  'src/binary.ts': Buffer.concat([Buffer.from('old-logger'), Buffer.from([0, 1, 2])]),
  'src/latin1.ts': Buffer.concat([Buffer.from([0xe9]), Buffer.from(" 'old-logger'\n")]),
  'docs/readme.md': 'Uses old-logger.\n',
  '.github/workflows/ci.yml': 'run: npx old-logger\n',
};

/** A git repository with tracked files, plus an untracked, an ignored and a symlinked one. */
async function repository(): Promise<string> {
  const workspace = join(root, `repo-${++counter}`);
  for (const [file, content] of Object.entries(TRACKED)) {
    await mkdir(dirname(join(workspace, file)), { recursive: true });
    await writeFile(join(workspace, file), content);
  }
  await symlink('../docs/readme.md', join(workspace, 'src/link.ts'));
  await git(workspace, ['init', '-q', '-b', 'main']);
  await git(workspace, ['add', '-A']);
  await git(workspace, ['commit', '-q', '-m', 'initial']);
  await writeFile(join(workspace, 'src/untracked.ts'), "import 'old-logger';\n");
  await writeFile(join(workspace, 'src/ignored.ts'), "import 'old-logger';\n");
  return workspace;
}

async function replace(workspace: string, with_: Record<string, unknown>) {
  return codemodReplace.run(codemodReplace.input.parse(with_), makeTestContext({ workspace }));
}

const read = (workspace: string, file: string): Promise<Buffer> => readFile(join(workspace, file));

describe('codemod/replace', () => {
  it('replaces every literal occurrence in the tracked text files that match, taking $ literally', async () => {
    const workspace = await repository();
    const result = await replace(workspace, { files: ['src/**/*.ts'], find: 'old-logger', replace: '$1-logger' });
    expect(result).toEqual({ files: ['src/a.ts', 'src/nested/c.ts'], replacements: 4 });
    expect((await read(workspace, 'src/a.ts')).toString()).toBe("import log from '$1-logger';\nlog('$1-logger', '$1-logger');\n");
    expect((await read(workspace, 'src/nested/c.ts')).toString()).toBe("export * from '$1-logger';\r\n");
  });

  it('leaves untracked, ignored, binary, non-UTF-8, symlinked and unmatched files alone', async () => {
    const workspace = await repository();
    await replace(workspace, { files: ['src/**/*.ts'], find: 'old-logger', replace: 'new-logger' });
    for (const file of ['src/binary.ts', 'src/latin1.ts', 'docs/readme.md', '.github/workflows/ci.yml']) {
      expect(await read(workspace, file)).toEqual(Buffer.from(TRACKED[file] ?? ''));
    }
    expect((await read(workspace, 'src/untracked.ts')).toString()).toBe("import 'old-logger';\n");
    expect((await read(workspace, 'src/ignored.ts')).toString()).toBe("import 'old-logger';\n");
    expect(await git(workspace, ['status', '--porcelain', '--', 'docs', 'src/link.ts'])).toBe('');
  });

  it('replaces a regular expression with $1 substitutions, reaching dot folders', async () => {
    const workspace = await repository();
    const result = await replace(workspace, { files: ['**/*.md', '**/*.yml'], find: 'old-(\\w+)', replace: 'new-$1', regex: true });
    expect(result).toEqual({ files: ['.github/workflows/ci.yml', 'docs/readme.md'], replacements: 2 });
    expect((await read(workspace, 'docs/readme.md')).toString()).toBe('Uses new-logger.\n');
    expect((await read(workspace, '.github/workflows/ci.yml')).toString()).toBe('run: npx new-logger\n');
  });

  it('skips the run when nothing matched', async () => {
    const workspace = await repository();
    const result = await replace(workspace, { files: ['src/**/*.ts', 'lib/*.js'], find: 'no-such-text', replace: 'x' });
    expect(isEndRun(result) && result.outcome).toBe('skipped');
    expect(isEndRun(result) && result.reasons).toEqual(['codemod/replace matched nothing in src/**/*.ts, lib/*.js']);
    expect(isEndRun(result) && result.output).toEqual({ files: [], replacements: 0 });
    expect(await git(workspace, ['status', '--porcelain', '--untracked-files=no'])).toBe('');
  });

  it('treats regex metacharacters literally unless regex is true', async () => {
    const workspace = await repository();
    const result = await replace(workspace, { files: ['src/a.ts'], find: "log('", replace: "logger.info('" });
    expect(result).toEqual({ files: ['src/a.ts'], replacements: 1 });
  });

  it('rejects an invalid regular expression as bad input, with the reason', async () => {
    const workspace = await repository();
    const error = await replace(workspace, { files: ['src/**'], find: 'old-(', replace: 'x', regex: true }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FlotillaError);
    expect(error).toMatchObject({ code: 'bad-input', location: { field: 'find' } });
    expect((error as Error).message).toMatch(/^find is not a valid regular expression: Invalid regular expression.*Unterminated group/);
  });

  it('has examples its own input schema accepts', () => {
    for (const example of codemodReplace.examples) expect(codemodReplace.input.safeParse(example.with).success).toBe(true);
  });
});
