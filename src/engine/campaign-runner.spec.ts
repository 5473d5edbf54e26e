import { existsSync } from 'node:fs';
import { writeFile, readFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LocalGitScm } from '../adapters/scm/local-git.js';
import { git } from '../git/git.js';
import type { Target } from '../model/fleet.js';
import { defineStep, type AnyStep } from '../sdk/step.js';
import { changeMerge } from '../steps/change/merge.js';
import { changeOpen } from '../steps/change/open.js';
import { gitCheckout } from '../steps/git/checkout.js';
import { runCommand } from '../steps/run/run.js';
import { storeFactories, type StoreFactory } from '../store/postgres/testing.js';
import type { Store } from '../store/store.js';
import { branches, makeRepo, mergeCommits, showFile, tempDir } from '../../test/helpers/repos.js';
import { CampaignRunner } from './campaign-runner.js';
import { withImpliedCheckout, type EngineCampaign, type EngineStep } from './engine-campaign.js';

const writeVersion = defineStep({
  id: 'test/write-version',
  description: 'Writes VERSION (a change step for tests).',
  kind: 'change',
  workspace: true,
  input: z.strictObject({ version: z.string() }),
  output: z.strictObject({ to: z.string() }),
  examples: [],
  async run(input, ctx) {
    await writeFile(join(ctx.workspace, 'VERSION'), `${input.version}\n`);
    return { to: input.version };
  },
});

function step(id: string, definition: AnyStep, inputs: Record<string, unknown> = {}, extra: Partial<EngineStep> = {}): EngineStep {
  return { id, uses: definition.id, definition, with: inputs, timeoutMs: 60_000, attempts: 1, backoffMs: 10, ...extra };
}

function campaignOf(name: string, steps: EngineStep[]): EngineCampaign {
  return { name, hash: 'h', file: 'campaign.yaml', spec: {}, change: { title: `chore: ${name}`, body: '' }, steps: withImpliedCheckout(steps, gitCheckout) };
}

async function targetOf(name: string, repo: string): Promise<Target> {
  const commit = await git(repo, ['rev-parse', 'main']);
  return {
    spec: { name, repo, tier: 2, tags: [] },
    facts: { name, repo, owner: '', tier: 2, tags: [], defaultBranch: 'main', commit, languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: true, testCommand: 'sh test.sh' },
  };
}

/** Closes and drops the stores the current test opened. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(factory: StoreFactory, count: number, testScript = 'grep -q 2.0 VERSION'): Promise<{ dir: string; targets: Target[]; store: Store }> {
  const dir = await tempDir();
  const targets: Target[] = [];
  for (let index = 0; index < count; index++) {
    const repo = await makeRepo(join(dir, 'repos', `svc-${index}`), { VERSION: '1.0\n', 'test.sh': `${testScript}\n`, 'README.md': `svc ${index}\n` });
    targets.push(await targetOf(`svc-${index}`, repo));
  }
  const opened = await factory.open(dir);
  cleanups.push(() => opened.cleanup());
  return { dir, targets, store: opened.store };
}

function runner(store: Store, dir: string, campaign: EngineCampaign, extra: { signal?: AbortSignal; concurrency?: number } = {}): CampaignRunner {
  return new CampaignRunner(campaign, {
    store,
    stateDir: join(dir, 'state'),
    concurrency: extra.concurrency ?? 2,
    scmFor: (target) => new LocalGitScm(target.spec.repo),
    interpolate: (value) => value,
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

const standardPath = (): EngineStep[] => [
  step('bump', writeVersion, { version: '2.0' }),
  step('test', runCommand, { command: 'sh test.sh' }),
  step('open', changeOpen),
  step('merge', changeMerge),
];

describe.each(storeFactories())('CampaignRunner on $name and real git repositories', (factory) => {
  it('changes, validates, opens and merges on every target, and fails the one whose tests fail', async () => {
    const { dir, targets, store } = await setup(factory, 3);
    await writeFile(join(targets[2]?.spec.repo ?? '', 'test.sh'), 'echo "expected 1.0" >&2; exit 1\n');
    await git(targets[2]?.spec.repo ?? '', ['commit', '--quiet', '-am', 'tests that fail']);
    targets[2] = await targetOf('svc-2', targets[2]?.spec.repo ?? '');

    const results = await runner(store, dir, campaignOf('bump-version', standardPath())).run(targets);

    expect(results.map((run) => [run.target, run.outcome])).toEqual([
      ['svc-0', 'merged'],
      ['svc-1', 'merged'],
      ['svc-2', 'failed'],
    ]);
    for (const target of targets.slice(0, 2)) {
      expect(await showFile(target.spec.repo, 'main', 'VERSION')).toBe('2.0');
      expect(await branches(target.spec.repo)).toEqual(['flotilla/bump-version', 'main']);
      expect(await mergeCommits(target.spec.repo)).toHaveLength(1);
    }
    const broken = results[2];
    expect(broken?.failedStep).toBe('test');
    expect(broken?.reasons[0]).toContain('exited with code 1');
    expect(await showFile(targets[2]?.spec.repo ?? '', 'main', 'VERSION')).toBe('1.0');
    const logs = await store.readLogs(broken?.runId ?? '', 'test');
    expect(logs.map((line) => line.text).join('\n')).toContain('expected 1.0');
  });

  it('never commits what validation wrote, and reports tracked files it modified', async () => {
    const { dir, targets, store } = await setup(factory, 1, 'echo built > build-output.txt; echo tampered >> README.md');
    const [run] = await runner(store, dir, campaignOf('validation-leak', standardPath())).run(targets);
    expect(run?.outcome).toBe('merged');
    const repo = targets[0]?.spec.repo ?? '';
    expect(await showFile(repo, 'main', 'build-output.txt')).toBeUndefined();
    expect(await showFile(repo, 'main', 'README.md')).toBe('svc 0');
    const events = await store.listEvents({ runId: run?.runId ?? '' });
    const reported = events.find((event) => event.type === 'step.reported');
    expect(reported?.data).toMatchObject({ step: 'test', name: 'validation.modified-tracked-files', data: { files: ['README.md'] } });
  });

  it('retries a failing step with backoff and then succeeds', async () => {
    const { dir, targets, store } = await setup(factory, 1);
    const counter = join(dir, 'attempts');
    const flaky = step('test', runCommand, { command: `echo x >> ${counter}; [ $(wc -l < ${counter}) -ge 2 ]` }, { attempts: 3, backoffMs: 50 });
    const [run] = await runner(store, dir, campaignOf('flaky', [step('bump', writeVersion, { version: '2.0' }), flaky])).run(targets);
    expect(run?.outcome).toBe('changed');
    expect(run?.steps.test?.attempt).toBe(2);
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('cuts off a hanging target at its timeout while the others finish', async () => {
    const { dir, targets, store } = await setup(factory, 3, 'if [ -f HANG ]; then sleep 30; fi; grep -q 2.0 VERSION');
    await writeFile(join(targets[1]?.spec.repo ?? '', 'HANG'), '');
    await git(targets[1]?.spec.repo ?? '', ['add', 'HANG']);
    await git(targets[1]?.spec.repo ?? '', ['commit', '--quiet', '-m', 'hang']);
    targets[1] = await targetOf('svc-1', targets[1]?.spec.repo ?? '');
    const path = standardPath();
    path[1] = step('test', runCommand, { command: 'sh test.sh' }, { timeoutMs: 1000 });
    const started = Date.now();
    const results = await runner(store, dir, campaignOf('hang', path)).run(targets);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(results.map((run) => run.outcome)).toEqual(['merged', 'failed', 'merged']);
    expect(results[1]?.reasons[0]).toContain('timed out after 1s');
  });

  it('never runs the hooks of a target repository', async () => {
    const { dir, targets, store } = await setup(factory, 1);
    const repo = targets[0]?.spec.repo ?? '';
    const marker = join(dir, 'hook-ran');
    for (const hook of ['pre-receive', 'post-receive', 'update', 'post-merge', 'post-checkout', 'pre-commit', 'reference-transaction']) {
      await writeFile(join(repo, '.git', 'hooks', hook), `#!/bin/sh\necho ${hook} >> ${marker}\n`);
      await chmod(join(repo, '.git', 'hooks', hook), 0o755);
    }
    const [run] = await runner(store, dir, campaignOf('hooks', standardPath())).run(targets);
    expect(run?.outcome).toBe('merged');
    expect(existsSync(marker)).toBe(false);
  });

  it('resumes after an interruption without a second branch or merge', async () => {
    const { dir, targets, store } = await setup(factory, 4);
    const campaign = campaignOf('resume', standardPath());
    const controller = new AbortController();
    let seen = 0;
    const first = new CampaignRunner(campaign, {
      store,
      stateDir: join(dir, 'state'),
      concurrency: 2,
      scmFor: (target) => new LocalGitScm(target.spec.repo),
      interpolate: (value) => value,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step.succeeded' && ++seen === 7) controller.abort();
      },
    });
    const partial = await first.run(targets);
    expect(partial.some((run) => run.status !== 'done')).toBe(true);
    const results = await runner(store, dir, campaign).run(targets);
    expect(results.map((run) => run.outcome)).toEqual(['merged', 'merged', 'merged', 'merged']);
    for (const target of targets) {
      expect(await branches(target.spec.repo)).toEqual(['flotilla/resume', 'main']);
      expect(await mergeCommits(target.spec.repo)).toHaveLength(1);
    }
  });

  it('refuses to run a campaign another live process is running', async () => {
    const { dir, targets, store } = await setup(factory, 1);
    await store.acquireLock('campaign:locked', 'elsewhere:1', Date.now(), 60_000);
    await expect(runner(store, dir, campaignOf('locked', standardPath())).run(targets)).rejects.toThrow(/already running \(elsewhere:1\)/);
  });
});
