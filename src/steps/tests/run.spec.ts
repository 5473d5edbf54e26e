import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { makeTestContext } from '../testing/step-context.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { baselineDir } from './baseline-tree.js';
import { testsRun, type TestsRunOutput } from './run.js';

/** A node:test file: each entry is a test name and the body of a synchronous test. */
function testFile(tests: Record<string, string>): string {
  const body = Object.entries(tests)
    .map(([name, code]) => `test(${JSON.stringify(name)}, () => { ${code} });`)
    .join('\n');
  return `const test = require('node:test');\nconst assert = require('node:assert');\nconst fs = require('node:fs');\n${body}\n`;
}

const VERSION_IS_1 = "assert.equal(fs.readFileSync('VERSION', 'utf8').trim(), '1');";

/** A repository with VERSION 1 committed (the baseline) and VERSION 2 written over it (the change). */
async function workspaceWith(files: Record<string, string>): Promise<{ workspace: string; baseCommit: string }> {
  const workspace = await makeRepo(join(await tempDir(), 'ws'), { VERSION: '1\n', 'package.json': '{"name":"svc","private":true}\n', ...files });
  const baseCommit = await git(workspace, ['rev-parse', 'HEAD']);
  await writeFile(join(workspace, 'VERSION'), '2\n');
  return { workspace, baseCommit };
}

async function runStep(workspace: string, baseCommit: string, with_: Record<string, unknown> = {}, testCommand = 'node --test') {
  const ctx = makeTestContext({ workspace, baseCommit });
  ctx.facts.testCommand = testCommand;
  const params = testsRun.input.parse(with_);
  try {
    const output = (await testsRun.run(params, ctx)) as TestsRunOutput;
    return { output, ctx, error: undefined };
  } catch (error) {
    return { output: undefined, ctx, error: error as FlotillaError };
  }
}

describe('tests/run on real repositories with node --test', () => {
  it('reports a green run with its counts and records tests.result', async () => {
    const { workspace, baseCommit } = await workspaceWith({ 'a.test.js': testFile({ one: '', two: '', three: 'assert.ok(true);' }) });
    const { output, ctx } = await runStep(workspace, baseCommit);
    expect(output).toMatchObject({ ran: true, total: 3, passed: 3, failed: 0, flaky: [], preExisting: [], failedByChange: [], format: 'tap' });
    expect(ctx.events).toEqual([{ name: 'tests.result', data: output }]);
  });

  it('fails with the names of tests the change breaks, and calls a test that also fails on the baseline pre-existing', async () => {
    const { workspace, baseCommit } = await workspaceWith({ 'a.test.js': testFile({ 'reads version 1': VERSION_IS_1, 'always broken': 'assert.fail("old bug");', fine: '' }) });
    const { error, ctx } = await runStep(workspace, baseCommit);
    expect(error).toBeInstanceOf(FlotillaError);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toBe('1 test fails because of the change (they pass on the baseline): reads version 1');
    expect(ctx.events[0]?.data).toMatchObject({ total: 3, passed: 1, failed: 2, failedByChange: ['reads version 1'], preExisting: ['always broken'], flaky: [] });
    expect(existsSync(baselineDir(workspace))).toBe(false);
    expect(await git(workspace, ['worktree', 'list', '--porcelain'])).not.toContain('.baseline');
  });

  it('succeeds when the only failure is pre-existing, saying so', async () => {
    const { workspace, baseCommit } = await workspaceWith({ 'a.test.js': testFile({ 'always broken': 'assert.fail("old bug");', a: '', b: '', c: '', d: '' }) });
    const { output } = await runStep(workspace, baseCommit);
    expect(output).toMatchObject({ total: 5, passed: 4, failed: 1, preExisting: ['always broken'], failedByChange: [], flaky: [] });
  });

  it('calls a test that fails and then passes on a retry flaky, and does not run the baseline for it', async () => {
    const flakyTest = "if (!fs.existsSync('.tried')) { fs.writeFileSync('.tried', ''); assert.fail('first time'); }";
    const { workspace, baseCommit } = await workspaceWith({ 'a.test.js': testFile({ 'sometimes fails': flakyTest, other: '' }) });
    const { output, ctx } = await runStep(workspace, baseCommit);
    expect(output).toMatchObject({ total: 2, passed: 1, failed: 1, flaky: ['sometimes fails'], preExisting: [], failedByChange: [] });
    expect(ctx.logs.filter((line) => line.message.startsWith('running the tests')).map((line) => line.message)).toEqual([
      'running the tests: the change',
      'running the tests: retry 1 of the failing tests',
    ]);
  });

  it('runs the setup command in both trees before the tests', async () => {
    const needsSetup = `assert.ok(fs.existsSync('installed.txt'), 'not installed'); ${VERSION_IS_1}`;
    const { workspace, baseCommit } = await workspaceWith({ 'a.test.js': testFile({ 'installed and version 1': needsSetup }) });
    const { error, ctx } = await runStep(workspace, baseCommit, { setup: 'echo yes > installed.txt', flakyRetries: 0 });
    // Without the setup on the baseline the test would fail there too and pass for pre-existing.
    expect(ctx.events[0]?.data).toMatchObject({ failedByChange: ['installed and version 1'], preExisting: [] });
    expect(error?.message).toContain('installed and version 1');
  });

  it('knows only the exit code of a command whose output it cannot read, and names the command', async () => {
    const { workspace, baseCommit } = await workspaceWith({ 'test.sh': 'grep -q 1 VERSION\n' });
    const broken = await runStep(workspace, baseCommit, {}, 'sh test.sh');
    expect(broken.ctx.events[0]?.data).toMatchObject({ format: 'exit-code', failed: 1, failedByChange: ['sh test.sh'] });
    const old = await workspaceWith({ 'test.sh': 'exit 3\n' });
    expect((await runStep(old.workspace, old.baseCommit, {}, 'sh test.sh')).output).toMatchObject({ format: 'exit-code', preExisting: ['sh test.sh'], failedByChange: [] });
  });

  it('reads a JUnit report the run wrote', async () => {
    const report = (b: string): string => `<testsuite><testcase classname="svc" name="a"/><testcase classname="svc" name="b">${b}</testcase></testsuite>`;
    const script = `if grep -q 1 VERSION; then echo '${report('')}'; else echo '${report('<failure/>')}'; fi > junit.xml\ngrep -q 1 VERSION\n`;
    const { workspace, baseCommit } = await workspaceWith({ 'test.sh': script });
    const { ctx } = await runStep(workspace, baseCommit, {}, 'sh test.sh');
    expect(ctx.events[0]?.data).toMatchObject({ format: 'junit', total: 2, passed: 1, failed: 1, failedByChange: ['svc > b'] });
  });

  it('runs nothing, and says so, when the target has no test command', async () => {
    const { workspace, baseCommit } = await workspaceWith({});
    const { output } = await runStep(workspace, baseCommit, {}, '');
    expect(output).toMatchObject({ ran: false, total: 0, format: 'none' });
  });
});
