import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/git.js';
import { campaignSchema } from '../model/campaign.js';
import { fleetSchema } from '../model/fleet.js';
import { exec } from '../process/exec.js';
import { isEndRun } from '../sdk/step.js';
import { npmBumpDependency } from '../steps/npm/bump-dependency.js';
import { makeTestContext } from '../steps/testing/step-context.js';
import { DEMO_LIBRARY, startDemoRegistry } from './demo-packages.js';
import { generateDemoFleet, generateFleetOfSize, planServices, type DemoFleet } from './generate-fleet.js';
import { npmEnv } from './npm-env.js';
import type { NpmRegistry } from './npm-registry.js';

let root: string;
let registry: NpmRegistry;
let env: Record<string, string | undefined>;
let fleet: DemoFleet;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-fleet-'));
  registry = await startDemoRegistry();
  env = npmEnv({ registry: registry.url, cache: join(root, 'npm-cache') });
  fleet = await generateDemoFleet({ dir: join(root, 'demo'), registryUrl: registry.url });
});

afterAll(async () => {
  await registry.close();
  await rm(root, { recursive: true, force: true });
});

/** A fresh clone of a demo repository, as the engine's workspace would be. */
async function cloneOf(repo: { name: string; path: string }, label: string): Promise<string> {
  const workspace = join(root, 'workspaces', `${repo.name}-${label}`);
  await git(root, ['clone', '-q', repo.path, workspace]);
  return workspace;
}

async function npm(workspace: string, args: string[]) {
  return exec('npm', args, { cwd: workspace, env });
}

describe('generateDemoFleet', () => {
  it('writes a fleet.yaml and a campaign.yaml that the schemas accept', async () => {
    const fleetSpec = fleetSchema.parse(parse(await readFile(fleet.fleetFile, 'utf8')));
    expect(fleetSpec.targets.map((target) => target.name)).toEqual(fleet.repos.map((repo) => repo.name));
    expect(fleetSpec.targets[0]).toMatchObject({ repo: `repos/${fleet.repos[0]?.name}`, owner: expect.any(String) as string });
    expect(new Set(fleetSpec.targets.map((target) => target.tier)).size).toBe(4);
    expect(new Set(fleetSpec.targets.map((target) => target.owner)).size).toBeGreaterThan(2);
    const breakingTiers = fleetSpec.targets.filter((_target, index) => fleet.repos[index]?.breaks).map((target) => target.tier);
    expect(new Set(breakingTiers).size).toBeGreaterThan(1);

    const campaign = campaignSchema.parse(parse(await readFile(fleet.campaignFile, 'utf8')));
    expect(campaign).toMatchObject({ name: 'bump-strings', targets: `'${DEMO_LIBRARY}' in dependencies` });
    expect(campaign.steps.map((step) => [step.id, step.uses])).toEqual([
      ['bump', 'npm/bump-dependency'],
      ['install', 'run'],
      ['test', 'run'],
      ['open', 'change/open'],
      ['merge', 'change/merge'],
    ]);
    expect(campaign.steps[0]?.with).toEqual({ package: DEMO_LIBRARY, version: '2.0.0' });
    expect(campaign.steps[2]).toMatchObject({ with: { command: 'npm test' }, timeout: '5m' });
  });

  it('creates clean git repositories on main with one commit, and marks exactly `breaking` of them', async () => {
    expect(fleet.repos).toHaveLength(12);
    expect(fleet.repos.filter((repo) => repo.breaks)).toHaveLength(3);
    for (const repo of fleet.repos) {
      expect(await git(repo.path, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
      expect(await git(repo.path, ['rev-list', '--count', 'HEAD'])).toBe('1');
      expect(await git(repo.path, ['status', '--porcelain'])).toBe('');
      const lock = JSON.parse(await readFile(join(repo.path, 'package-lock.json'), 'utf8')) as {
        name: string;
        packages: Record<string, { version?: string; resolved?: string }>;
      };
      expect(lock.name).toBe(repo.name);
      expect(lock.packages[`node_modules/${DEMO_LIBRARY}`]).toEqual(expect.objectContaining({ version: '1.2.0' }));
      expect(lock.packages[`node_modules/${DEMO_LIBRARY}`]?.resolved).toBeUndefined();
      // The breaking services are exactly those whose code uses pad(), the function 2.0.0 changes.
      const sources = await readdir(join(repo.path, 'src'));
      const usesPad = (await Promise.all(sources.map((file) => readFile(join(repo.path, 'src', file), 'utf8')))).some((text) => text.includes('pad('));
      expect(usesPad).toBe(repo.breaks);
    }
  });

  it('has services whose tests pass at 1.2.0 and fail after 2.0.0 only where they break', async () => {
    const breaking = fleet.repos.find((repo) => repo.breaks);
    const safe = fleet.repos.find((repo) => !repo.breaks);
    for (const repo of [breaking, safe]) {
      if (!repo) throw new Error('the demo fleet needs a breaking and a safe service');
      const workspace = await cloneOf(repo, 'install');
      expect((await npm(workspace, ['ci', '--ignore-scripts'])).exitCode).toBe(0);
      const before = await npm(workspace, ['test']);
      expect(before.exitCode, before.stdout).toBe(0);
      expect(before.stdout).toMatch(/# pass [1-9]/);

      expect((await npm(workspace, ['install', `${DEMO_LIBRARY}@2.0.0`, '--ignore-scripts'])).exitCode).toBe(0);
      const after = await npm(workspace, ['test']);
      expect(after.exitCode !== 0, `${repo.name}: ${after.stdout}`).toBe(repo.breaks);
      if (repo.breaks) expect(after.stdout).toContain("actual: 'INV-420000'");
    }
  });

  it('runs the campaign path by hand on a safe service: bump, npm ci, npm test', async () => {
    const repo = fleet.repos.find((candidate) => !candidate.breaks);
    if (!repo) throw new Error('the demo fleet needs a safe service');
    const workspace = await cloneOf(repo, 'bump');
    const result = await npmBumpDependency.run({ package: DEMO_LIBRARY, version: '2.0.0' }, makeTestContext({ workspace, env }));
    expect(isEndRun(result)).toBe(false);
    expect(result).toEqual({ package: DEMO_LIBRARY, from: '1.2.0', to: '2.0.0', kind: 'major', files: ['package.json', 'package-lock.json'] });
    expect(await git(workspace, ['diff', '--stat', '--', 'package.json'])).toContain('1 insertion(+), 1 deletion(-)');
    expect(await readFile(join(workspace, 'package-lock.json'), 'utf8')).not.toContain('"resolved"');
    expect((await npm(workspace, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'])).exitCode).toBe(0);
    expect((await npm(workspace, ['test'])).exitCode).toBe(0);
  });

  it('refuses to overwrite a folder that already holds a fleet', async () => {
    await expect(generateDemoFleet({ dir: join(root, 'demo'), registryUrl: registry.url })).rejects.toMatchObject({ code: 'conflict' });
    await expect(generateDemoFleet({ dir: join(root, 'other'), breaking: 13 })).rejects.toMatchObject({ code: 'bad-input' });
  });
});

describe('generateFleetOfSize', () => {
  it.each([
    [30, 'its own registry'],
    [50, 'a running registry'],
  ])('generates %i repositories with unique names, using %s', async (size, which) => {
    const registryUrl = which === 'a running registry' ? registry.url : undefined;
    const generated = await generateFleetOfSize({ dir: join(root, `fleet-${size}`), size, registryUrl });
    expect(generated.repos).toHaveLength(size);
    expect(new Set(generated.repos.map((repo) => repo.name)).size).toBe(size);
    expect(generated.repos.filter((repo) => repo.breaks)).toHaveLength(size / 10);
    const fleetSpec = fleetSchema.parse(parse(await readFile(generated.fleetFile, 'utf8')));
    expect(fleetSpec.targets).toHaveLength(size);
  });

  it('spreads breaking services evenly and keeps names unique past every domain and kind', () => {
    expect(planServices(12, 3).flatMap((plan, index) => (plan.breaks ? [index] : []))).toEqual([2, 6, 10]);
    expect(planServices(5, 5).every((plan) => plan.breaks)).toBe(true);
    const many = planServices(130, 0);
    expect(new Set(many.map((plan) => plan.name)).size).toBe(130);
  });
});
