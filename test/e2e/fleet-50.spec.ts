import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRegistry } from '../../src/demo/demo-packages.js';
import { generateFleetOfSize, type DemoFleet } from '../../src/demo/generate-fleet.js';
import { npmEnv } from '../../src/demo/npm-env.js';
import type { NpmRegistry } from '../../src/demo/npm-registry.js';
import { git } from '../../src/git/git.js';
import { branches, mergeCommits, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

interface Report {
  campaign: string;
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; failedStep?: string; steps: { id: string; status: string; durationMs: number | null }[] }[];
}

describe('a campaign over 50 generated repositories, 5 of which the change breaks', () => {
  let registry: NpmRegistry;
  let dir: string;
  let fleet: DemoFleet;
  const heads = new Map<string, string>();

  beforeAll(async () => {
    registry = await startDemoRegistry();
    dir = await tempDir();
    fleet = await generateFleetOfSize({ dir, size: 50, breaking: 5, registryUrl: registry.url });
    for (const repo of fleet.repos) heads.set(repo.name, await git(repo.path, ['rev-parse', 'main']));
  }, 300_000);

  afterAll(async () => {
    await registry.close();
  });

  it('merges 45 with the new version on main and fails 5 at the test step with their output logged', async () => {
    const env = npmEnv({ registry: registry.url, cache: join(dir, 'npm-cache') });
    const state = join(dir, 'state');
    const result = await flotilla(['run', fleet.campaignFile, '--fleet', fleet.fleetFile, '--json', '--state', state], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.targets).toHaveLength(50);
    expect(report.counts).toMatchObject({ merged: 45, failed: 5 });

    for (const repo of fleet.repos) {
      const run = report.targets.find((target) => target.name === repo.name);
      if (repo.breaks) {
        expect(run?.outcome, repo.name).toBe('failed');
        expect(run?.failedStep).toBe('test');
        expect(await git(repo.path, ['rev-parse', 'main'])).toBe(heads.get(repo.name));
        const logs = await flotilla(['logs', 'bump-strings', repo.name, 'test', '--state', state]);
        expect(logs.stdout).toMatch(/not ok|AssertionError|fail/i);
      } else {
        expect(run?.outcome, repo.name).toBe('merged');
        const manifest = JSON.parse(await git(repo.path, ['show', 'main:package.json'])) as { dependencies: Record<string, string> };
        expect(manifest.dependencies['@flotilla-demo/strings']).toBe('^2.0.0');
        const lock = await git(repo.path, ['show', 'main:package-lock.json']);
        expect(lock).toContain('"version": "2.0.0"');
        expect(await branches(repo.path)).toEqual(['flotilla/bump-strings', 'main']);
        expect(await mergeCommits(repo.path)).toHaveLength(1);
      }
    }
  }, 900_000);
});
