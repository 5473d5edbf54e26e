import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { git } from '../../git/git.js';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext, type TestStepContext } from '../../steps/testing/step-context.js';
import { makeRepo, tempDir } from '../../../test/helpers/repos.js';
import { baselinePath } from '../local/baseline-worktree.js';
import { processGroupMembers } from '../local/process-memory.js';
import { canaryLocal } from './canary-local.js';

/**
 * The step on its own, for what the engine-level test (test/e2e/canary-local.spec.ts) does not show:
 * services that never answer, crash or do not build, and that nothing is left running in any case.
 */
const SERVER = await readFile(new URL('../../../test/fixtures/canary/service/server.mjs', import.meta.url), 'utf8');
const QUICK = { start: `exec "${process.execPath}" server.mjs`, warmup: '300ms', bake: '1s', intervals: 2, startTimeout: '5s' };

async function serviceRepo(files: Record<string, string>): Promise<{ repo: string; baseCommit: string }> {
  const repo = await makeRepo(join(await tempDir(), 'svc'), files);
  return { repo, baseCommit: await git(repo, ['rev-parse', 'HEAD']) };
}

function contextFor(repo: string, baseCommit: string): TestStepContext {
  return makeTestContext({ workspace: repo, baseCommit });
}

function ending(result: unknown): { outcome: string; reasons: string[] } | undefined {
  return isEndRun(result) ? { outcome: result.outcome, reasons: result.reasons } : undefined;
}

/** The pids the step logged when it started the two services. */
function servicePids(ctx: TestStepContext): number[] {
  return ctx.logs.filter((log) => log.message === 'started').map((log) => Number(log.fields?.pid));
}

async function expectNothingLeft(ctx: TestStepContext, repo: string): Promise<void> {
  const pids = servicePids(ctx);
  for (const pid of pids) expect(await processGroupMembers(pid), `process group ${pid}`).toEqual([]);
  expect(existsSync(baselinePath(repo))).toBe(false);
  expect(await git(repo, ['worktree', 'list', '--porcelain'])).not.toContain('canary-baseline');
}

describe('canary/local, the step on its own', () => {
  it('a service that never answers is inconclusive: needs a human, not a pass', async () => {
    const { repo, baseCommit } = await serviceRepo({ 'server.mjs': SERVER.replace('  respond(response);\n', '  // never answers\n') });
    const ctx = contextFor(repo, baseCommit);
    const result = await canaryLocal.run(canaryLocal.input.parse({ ...QUICK, startTimeout: '1s' }), ctx);
    expect(ending(result)?.outcome).toBe('needs-human');
    expect(ending(result)?.reasons[0]).toMatch(/^canary inconclusive: the baseline did not answer http:\/\/127\.0\.0\.1:\d+\/ within 1s/);
    expect(ctx.events[0]).toMatchObject({ name: 'canary.judgement', data: { verdict: 'fail', inconclusive: true, source: 'local' } });
    await expectNothingLeft(ctx, repo);
  });

  it('a change that crashes the service fails the run with its last output', async () => {
    const { repo, baseCommit } = await serviceRepo({ 'server.mjs': SERVER });
    await writeFile(join(repo, 'server.mjs'), `console.error('missing configuration: ORDERS_DB');\nprocess.exit(3);\n${SERVER}`);
    const ctx = contextFor(repo, baseCommit);
    const result = await canaryLocal.run(canaryLocal.input.parse(QUICK), ctx);
    expect(ending(result)).toEqual({ outcome: 'failed', reasons: ['canary failed: the changed build exited with code 3 before answering: missing configuration: ORDERS_DB'] });
    await expectNothingLeft(ctx, repo);
  });

  it('a build that fails only with the change fails the run; the baseline builds from the base commit', async () => {
    const build = `"${process.execPath}" -e "if (require('fs').existsSync('BROKEN')) { console.log('error: BROKEN is here'); process.exit(2) }"`;
    const { repo, baseCommit } = await serviceRepo({ 'server.mjs': SERVER });
    await writeFile(join(repo, 'BROKEN'), 'the change adds this\n');
    const ctx = contextFor(repo, baseCommit);
    const result = await canaryLocal.run(canaryLocal.input.parse({ ...QUICK, build }), ctx);
    expect(ending(result)?.reasons).toEqual([`canary failed: the changed build does not build: \`${build}\` exited with code 2: error: BROKEN is here`]);
    expect(ctx.logs.filter((log) => log.message === 'building').map((log) => log.fields?.side)).toEqual(['baseline', 'canary']);
    await expectNothingLeft(ctx, repo);
  });

  it('a harmless change passes, and every process of both trees ends (a background child included)', async () => {
    const { repo, baseCommit } = await serviceRepo({ 'server.mjs': SERVER });
    await writeFile(join(repo, 'server.mjs'), SERVER.replace("greeting: 'hello'", "greeting: 'hi'"));
    const ctx = contextFor(repo, baseCommit);
    const start = `sleep 300 & exec "${process.execPath}" server.mjs`;
    const result = await canaryLocal.run(canaryLocal.input.parse({ ...QUICK, start }), ctx);
    expect(ending(result)).toBeUndefined();
    expect(result).toMatchObject({ verdict: 'pass', inconclusive: false, stoppedEarly: false, intervals: [{ interval: 1 }, { interval: 2 }] });
    await expectNothingLeft(ctx, repo);
  });

  it('an abort (timeout, cancel) mid-bake ends both services and removes the baseline', async () => {
    const { repo, baseCommit } = await serviceRepo({ 'server.mjs': SERVER });
    const ctx = contextFor(repo, baseCommit);
    const running = canaryLocal.run(canaryLocal.input.parse({ ...QUICK, bake: '20s' }), ctx);
    while (servicePids(ctx).length < 2) await sleep(20);
    await sleep(500);
    ctx.abort(new Error('timed out'));
    await expect(running).rejects.toThrow();
    await expectNothingLeft(ctx, repo);
  });

  it.each([
    ['a bake too long', { bake: '2h' }, 'warmup + bake must not exceed 1h'],
    ['intervals too short for their samples', { bake: '1s', intervals: 4, sampleEvery: '100ms' }, 'each interval (bake / intervals) must hold at least 5 samples'],
    ['a path without its slash', { path: 'health' }, 'Invalid string: must start with "/"'],
  ])('refuses %s when the campaign loads', (_name, extra, message) => {
    const parsed = canaryLocal.input.safeParse({ ...QUICK, ...extra });
    expect(parsed.error?.issues.map((issue) => issue.message).join('\n')).toContain(message);
  });
});
