import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRegistry } from '../../src/demo/demo-packages.js';
import { generateFleetOfSize, type DemoFleet } from '../../src/demo/generate-fleet.js';
import { npmEnv } from '../../src/demo/npm-env.js';
import type { NpmRegistry } from '../../src/demo/npm-registry.js';
import { git } from '../../src/git/git.js';
import { branches, mergeCommits, tempDir } from '../helpers/repos.js';
import { flotilla, startFlotilla } from '../helpers/cli.js';

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string; failedStep?: string }[];
}

/** A seeded generator, so a failing run can be repeated with the same kill moments (the seed is printed). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('crash safety: flotilla run killed with SIGKILL at random moments', () => {
  let registry: NpmRegistry;
  let dir: string;
  let fleet: DemoFleet;

  beforeAll(async () => {
    registry = await startDemoRegistry();
    dir = await tempDir();
    fleet = await generateFleetOfSize({ dir, size: 30, breaking: 3, registryUrl: registry.url });
  }, 300_000);

  afterAll(async () => {
    await registry.close();
  });

  it('ends every target as an uninterrupted run would, with one branch and at most one merge each', async () => {
    const env = npmEnv({ registry: registry.url, cache: join(dir, 'npm-cache') });
    const state = join(dir, 'state');
    const args = ['run', fleet.campaignFile, '--fleet', fleet.fleetFile, '--json', '--state', state];
    const seed = Number(process.env.FLOTILLA_CRASH_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    let kills = 0;
    for (let round = 0; round < 10; round++) {
      // Plain mode prints a line per event: kill at a random moment after the run has started working,
      // however long loading the fleet took on this machine.
      const { child, done } = startFlotilla(args.filter((arg) => arg !== '--json'), { env });
      const delay = Math.floor(next() * 2500);
      let timer: NodeJS.Timeout | undefined;
      child.stdout?.once('data', () => {
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
      });
      const result = await done;
      if (timer) clearTimeout(timer);
      if (result.signal === 'SIGKILL') kills++;
      else expect(result.code, `round ${round} (seed ${seed}): ${result.stderr}`).toBeLessThanOrEqual(1);
    }
    expect(kills, `seed ${seed}`).toBeGreaterThanOrEqual(8);

    // The kills really cut steps off: some step was started again with the same attempt after a crash.
    const listed = await flotilla(['events', 'bump-strings', '--json', '--state', state]);
    expect(listed.stderr).toBe('');
    const events = JSON.parse(listed.stdout) as { runId: string; type: string; data: { step?: string; attempt?: number } }[];
    const starts = new Map<string, number>();
    for (const event of events) {
      if (event.type !== 'step.started') continue;
      const key = `${event.runId} ${event.data.step ?? ''} ${event.data.attempt ?? 0}`;
      starts.set(key, (starts.get(key) ?? 0) + 1);
    }
    const restarted = [...starts.values()].filter((count) => count > 1).length;
    expect(restarted, `seed ${seed}`).toBeGreaterThan(0);
    console.info(`crash safety (seed ${seed}): ${kills} kills, ${restarted} steps cut off and started again`);

    const final = await flotilla(args, { env });
    expect(final.stderr, `seed ${seed}`).toBe('');
    const report = JSON.parse(final.stdout) as Report;
    expect(report.targets).toHaveLength(30);
    for (const repo of fleet.repos) {
      const run = report.targets.find((target) => target.name === repo.name);
      expect(run?.outcome, `${repo.name} (seed ${seed})`).toBe(repo.breaks ? 'failed' : 'merged');
      if (repo.breaks) expect(run?.failedStep).toBe('test');
      const heads = await branches(repo.path);
      expect(heads.filter((name) => name.startsWith('flotilla/')), repo.name).toEqual(repo.breaks ? [] : ['flotilla/bump-strings']);
      expect((await mergeCommits(repo.path)).length, repo.name).toBe(repo.breaks ? 0 : 1);
      // The generated repository has one commit; a merged target has exactly one change commit more.
      expect(Number(await git(repo.path, ['rev-list', '--count', '--no-merges', 'main'])), repo.name).toBe(repo.breaks ? 1 : 2);
    }
  }, 1_200_000);
});
