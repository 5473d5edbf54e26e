import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRegistry } from '../../src/demo/demo-packages.js';
import { generateFleetOfSize, type DemoFleet } from '../../src/demo/generate-fleet.js';
import { npmEnv } from '../../src/demo/npm-env.js';
import type { NpmRegistry } from '../../src/demo/npm-registry.js';
import { git } from '../../src/git/git.js';
import { testDatabaseUrl } from '../../src/store/postgres/testing.js';
import { branches, makeRepo, mergeCommits, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

interface Report {
  campaign: string;
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; failedStep?: string; steps: { id: string; status: string; durationMs: number | null }[] }[];
}

/**
 * The scenarios of fleet-50, cli and bad-input, on the distributed engine: `flotilla run --database`
 * decides, the steps run on three `flotilla worker` processes (each with its own disk), one
 * `flotilla server` runs beside them, and every command reads the state from PostgreSQL.
 */
// Needs a PostgreSQL server: with FLOTILLA_TEST_DATABASE_URL=off there is nothing to run these on.
describe.skipIf(!testDatabaseUrl())('distributed: 50 generated repositories through one server and three workers', () => {
  let registry: NpmRegistry;
  let dir: string;
  let fleet: DemoFleet;
  let cluster: Cluster;
  let report: Report;
  const heads = new Map<string, string>();
  const db = (): string[] => ['--database', cluster.database];

  beforeAll(async () => {
    registry = await startDemoRegistry();
    dir = await tempDir();
    fleet = await generateFleetOfSize({ dir, size: 50, breaking: 5, registryUrl: registry.url });
    for (const repo of fleet.repos) heads.set(repo.name, await git(repo.path, ['rev-parse', 'main']));
    // The workers run the npm steps: they get the registry, as a worker in CI gets its environment.
    cluster = await startCluster({ dir, workers: 3, concurrency: 2, env: npmEnv({ registry: registry.url, cache: join(dir, 'npm-cache') }) });
  }, 300_000);

  afterAll(async () => {
    await cluster.stop();
    await registry.close();
  }, 60_000);

  it('merges 45 with the new version on main and fails 5 at the test step with their output logged', async () => {
    const result = await flotilla(['run', fleet.campaignFile, '--fleet', fleet.fleetFile, '--json', '--concurrency', '8', '--state', join(dir, 'cli'), ...db()]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    report = JSON.parse(result.stdout) as Report;
    expect(report.targets).toHaveLength(50);
    expect(report.counts).toMatchObject({ merged: 45, failed: 5 });

    for (const repo of fleet.repos) {
      const run = report.targets.find((target) => target.name === repo.name);
      if (repo.breaks) {
        expect(run?.outcome, repo.name).toBe('failed');
        expect(run?.failedStep).toBe('test');
        expect(await git(repo.path, ['rev-parse', 'main'])).toBe(heads.get(repo.name));
        const logs = await flotilla(['logs', 'bump-strings', repo.name, 'test', ...db()]);
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

  it('status, events and logs read the campaign from PostgreSQL; running it again finds everything done', async () => {
    const all = await flotilla(['status', ...db()]);
    expect(all.stdout).toMatch(/bump-strings\s+done\s+45\s+0\s+0\s+5\s+0\s+0/);
    const one = await flotilla(['status', 'bump-strings', '--json', ...db()]);
    expect((JSON.parse(one.stdout) as Report).counts).toEqual(report.counts);
    const missing = await flotilla(['status', 'nope', ...db()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no campaign named nope');

    const merged = report.targets.find((target) => target.outcome === 'merged')?.name ?? '';
    const events = await flotilla(['events', 'bump-strings', '--target', merged, ...db()]);
    const types = events.stdout.trim().split('\n').map((line) => line.split(/\s+/)[2]);
    expect(types[0]).toBe('run.created');
    expect(types.at(-1)).toBe('run.completed');
    expect(events.stdout).toMatch(/bump in \d+ms \{"package":"@flotilla-demo\/strings","from":"1\.2\.0","to":"2\.0\.0","kind":"major"/);

    const failed = report.targets.find((target) => target.outcome === 'failed')?.name ?? '';
    const badStep = await flotilla(['logs', 'bump-strings', failed, 'tset', ...db()]);
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toContain('has no step tset');

    const again = await flotilla(['run', fleet.campaignFile, '--fleet', fleet.fleetFile, '--json', '--state', join(dir, 'cli'), ...db()]);
    expect((JSON.parse(again.stdout) as Report).counts).toEqual(report.counts);
  }, 120_000);

  it('bad input exits 2 with the place named, before anything reaches the database', async () => {
    const bad = await tempDir();
    await makeRepo(join(bad, 'repos', 'api'), { 'notes.txt': 'old\n', 'package.json': JSON.stringify({ name: 'api', dependencies: { debug: '^4.3.0' } }) });
    await writeFile(join(bad, 'fleet.yaml'), 'targets:\n  - name: api\n    repo: ./repos/api\n    owner: team-a\n');
    const campaign = 'name: edit\ntargets: "\'debug\' in dependencies"\nsteps:\n  - id: edit\n    uses: codemod/replace\n    with: { files: ["*.txt"], find: "old", replace: "new" }\n';
    const cases: [string, RegExp][] = [
      [campaign.replace('uses: codemod/replace', 'uses: codemod/replase'), /campaign\.yaml:5:11 .*steps\[0\]\.uses.*unknown step "codemod\/replase"; did you mean codemod\/replace\?/],
      [campaign.replace('find: "old"', 'find: 42'), /campaign\.yaml:6:\d+ .*steps\[0\]\.with\.find/],
      [campaign.replace("'debug' in dependencies", "'debug' in dependencys"), /campaign\.yaml:2:\d+ .*targets.*dependencys/],
    ];
    for (const [text, message] of cases) {
      await writeFile(join(bad, 'campaign.yaml'), text);
      const result = await flotilla(['run', join(bad, 'campaign.yaml'), '--fleet', join(bad, 'fleet.yaml'), '--state', join(bad, 'state'), ...db()]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
    const option = await flotilla(['run', join(bad, 'campaign.yaml'), '--fleet', join(bad, 'fleet.yaml'), '--concurrency', 'zero', ...db()]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--concurrency/);
    const status = await flotilla(['status', '--json', ...db()]);
    expect(status.stdout).not.toContain('"edit"');
    const unreachable = await flotilla(['status', '--database', 'postgres://nobody@127.0.0.1:1/none']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/PostgreSQL: .*ECONNREFUSED/);
  }, 120_000);

  it('the server and the workers served /healthz and /metrics, and every worker ran steps', async () => {
    const health = (await (await fetch(`${cluster.serverUrl}/healthz`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);
    const metrics = await (await fetch(`${cluster.serverUrl}/metrics`)).text();
    expect(metrics).toMatch(/^flotilla_runs\{campaign="bump-strings",status="done",outcome="merged"\} 45$/m);
    expect(metrics).toMatch(/^flotilla_workers_alive 3$/m);
    expect(metrics).toContain('# TYPE flotilla_queue_depth gauge');
    for (const url of cluster.workerMetrics) {
      const text = await (await fetch(url)).text();
      const finished = [...text.matchAll(/^flotilla_steps_finished_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      expect(finished, url).toBeGreaterThan(0);
      expect(text).toContain('# TYPE flotilla_step_dispatch_seconds histogram');
    }
    expect(cluster.workers.every((worker) => worker && worker.exitCode === null)).toBe(true);
  });

  it('workers log JSON lines with the campaign, target, step and worker of each step', () => {
    const finished = cluster.workerLogs.filter((line) => line.msg === 'step finished');
    expect(finished.length).toBeGreaterThan(0);
    for (const line of finished) expect(Object.keys(line)).toEqual(expect.arrayContaining(['campaign', 'target', 'runId', 'step', 'attempt', 'worker', 'result', 'durationMs']));
    expect(finished.find((line) => line.result === 'failed')).toMatchObject({ campaign: 'bump-strings', step: 'test' });
  });

  it('flotilla db status shows the applied migrations, and migrate finds nothing to do', async () => {
    const status = await flotilla(['db', 'status', '--json', ...db()]);
    const parsed = JSON.parse(status.stdout) as { schema: string; migrations: { version: number; appliedAt?: string }[] };
    expect(parsed.schema).toBe('flotilla');
    expect(parsed.migrations.map((entry) => entry.version)).toEqual([1, 2]);
    expect(parsed.migrations.every((entry) => entry.appliedAt)).toBe(true);
    const migrate = await flotilla(['db', 'migrate', ...db()]);
    expect(migrate.stdout.trim()).toBe('schema flotilla is up to date');
    const without = await flotilla(['db', 'status'], { env: { DATABASE_URL: '' } });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('needs a PostgreSQL database');
  });
});
