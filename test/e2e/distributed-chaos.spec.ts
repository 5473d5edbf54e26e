import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.js';
import { testDatabaseUrl } from '../../src/store/postgres/testing.js';
import { branches, makeRepo, mergeCommits, tempDir } from '../helpers/repos.js';
import { flotilla, startFlotilla } from '../helpers/cli.js';
import { startCluster, type Cluster } from '../helpers/cluster.js';

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string; failedStep?: string }[];
}

const TARGETS = 200;
const BREAKING = 20;
const MIN_KILLS = 20;
/** Past this many the campaign finishes undisturbed, to keep the test within a couple of minutes. */
const MAX_KILLS = 24;

/** A seeded generator, so a failing run can be repeated with the same kill moments (the seed is printed). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const CAMPAIGN = `name: chaos
steps:
  - { id: edit, uses: codemod/replace, with: { files: ["*.txt"], find: old, replace: new } }
  - { id: test, uses: run, with: { command: sh test.sh } }
  - { id: open, uses: change/open }
  - { id: merge, uses: change/merge }
`;

/**
 * Workers die mid-step: during a 200-target campaign on one server and three workers, a random worker is
 * killed with SIGKILL at random moments and started again. Its leases must end (the others' heartbeats
 * free its jobs), its steps must run again elsewhere, and nothing may happen twice: every target ends as
 * it should, with one branch, one change and one merge at most.
 */
// Needs a PostgreSQL server: with FLOTILLA_TEST_DATABASE_URL=off there is nothing to run these on.
describe.skipIf(!testDatabaseUrl())('distributed chaos: workers killed with SIGKILL during a 200-target campaign', () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('ends every target correctly, with no second branch, change or merge', async () => {
    const dir = await tempDir();
    const repos: { name: string; path: string; breaks: boolean }[] = [];
    for (let index = 0; index < TARGETS; index++) {
      const name = `svc-${String(index).padStart(3, '0')}`;
      const breaks = index % (TARGETS / BREAKING) === 3;
      const path = await makeRepo(join(dir, 'repos', name), { 'notes.txt': `old ${name}\n`, 'test.sh': breaks ? 'echo "this one breaks" >&2; exit 1\n' : 'grep -q new notes.txt\n' });
      repos.push({ name, path, breaks });
    }
    await writeFile(join(dir, 'fleet.yaml'), `targets:\n${repos.map((repo) => `  - name: ${repo.name}\n    repo: ./repos/${repo.name}\n`).join('')}`);
    await writeFile(join(dir, 'campaign.yaml'), CAMPAIGN);
    cluster = await startCluster({ dir, workers: 3, concurrency: 2, workerArgs: ['--shutdown-grace', '1'] });

    const seed = Number(process.env.FLOTILLA_CHAOS_SEED ?? Date.now() % 100_000);
    const next = random(seed);
    const started = Date.now();
    const run = startFlotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', '--concurrency', '8', '--state', join(dir, 'cli'), '--database', cluster.database]);
    let finished = false;
    const result = run.done.finally(() => (finished = true));
    let kills = 0;
    while ((!finished && kills < MAX_KILLS) || kills < MIN_KILLS) {
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(next() * 900)));
      if (finished && kills >= MIN_KILLS) break;
      const index = Math.floor(next() * 3);
      const victim = cluster.workers[index];
      if (!victim || victim.exitCode !== null || victim.signalCode !== null) continue;
      const exited = new Promise((resolve) => victim.once('exit', resolve));
      victim.kill('SIGKILL');
      await exited;
      kills++;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 800)));
      await cluster.startWorker(index);
    }
    const { code, stdout, stderr } = await result;
    expect(stderr, `seed ${seed}`).toBe('');
    expect(code, `seed ${seed}`).toBe(1);

    // The kills really cut steps off: attempts a killed worker started and never finished (run again elsewhere).
    const ended = cluster.started.filter((worker) => worker.child.exitCode !== null || worker.child.signalCode !== null);
    const outputs = await Promise.all(ended.map((worker) => worker.done));
    let cutOff = 0;
    for (const output of outputs.filter((entry) => entry.signal === 'SIGKILL')) {
      const open = new Set<string>();
      for (const line of output.stdout.split('\n')) {
        if (!line.includes('"msg":"step started"') && !line.includes('"msg":"step finished"')) continue;
        const entry = JSON.parse(line) as { runId: string; step: string; attempt: number; msg: string };
        const key = `${entry.runId} ${entry.step} ${entry.attempt}`;
        if (entry.msg === 'step started') open.add(key);
        else open.delete(key);
      }
      cutOff += open.size;
    }
    const killedOutputs = outputs.filter((output) => output.signal === 'SIGKILL').length;
    console.info(`distributed chaos (seed ${seed}): ${kills} SIGKILLs of workers in ${Math.round((Date.now() - started) / 1000)} s; ${cutOff} step attempts were cut off mid-step and run again`);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
    expect(killedOutputs).toBe(kills);
    expect(cutOff, `seed ${seed}`).toBeGreaterThan(0);

    const report = JSON.parse(stdout) as Report;
    expect(report.targets).toHaveLength(TARGETS);
    expect(report.counts).toMatchObject({ merged: TARGETS - BREAKING, failed: BREAKING });
    for (const repo of repos) {
      const target = report.targets.find((entry) => entry.name === repo.name);
      expect(target?.outcome, `${repo.name} (seed ${seed})`).toBe(repo.breaks ? 'failed' : 'merged');
      if (repo.breaks) expect(target?.failedStep).toBe('test');
      const heads = await branches(repo.path);
      expect(heads.filter((name) => name.startsWith('flotilla/')), repo.name).toEqual(repo.breaks ? [] : ['flotilla/chaos']);
      expect((await mergeCommits(repo.path)).length, repo.name).toBe(repo.breaks ? 0 : 1);
      // One commit at the start; a merged target has exactly one change commit more.
      expect(Number(await git(repo.path, ['rev-list', '--count', '--no-merges', 'main'])), repo.name).toBe(repo.breaks ? 1 : 2);
    }

    // One change opened and one merge per merged run in the history, whatever ran twice on the workers.
    const events = JSON.parse((await flotilla(['events', 'chaos', '--json', '--database', cluster.database])).stdout) as { runId: string; type: string; data: { step?: string; name?: string } }[];
    const opened = new Map<string, number>();
    for (const event of events) {
      if (event.type === 'step.succeeded' && (event.data.step === 'open' || event.data.step === 'merge')) {
        const key = `${event.runId} ${event.data.step}`;
        opened.set(key, (opened.get(key) ?? 0) + 1);
      }
    }
    expect(opened.size).toBe(2 * (TARGETS - BREAKING));
    expect([...opened.values()].every((count) => count === 1)).toBe(true);
  }, 900_000);
});
