import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, makeWorkerUtils, run, type Task } from 'graphile-worker';
import pg from 'pg';
import { pino } from 'pino';
import { z } from 'zod';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import { JobDispatcher } from '../distributed/job-executor.js';
import { startWorker } from '../distributed/start-worker.js';
import { workerSchemaOf } from '../distributed/step-job.js';
import { CampaignRunner } from '../engine/campaign-runner.js';
import type { EngineCampaign, EngineStep } from '../engine/engine-campaign.js';
import type { Target } from '../model/fleet.js';
import { defineStep } from '../sdk/step.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { createTestDatabase } from '../store/postgres/testing.js';

/**
 * The distributed engine's throughput against graphile-worker alone, in the same run: N targets × S no-op
 * steps with 1, 2 and 4 worker processes. The engine's figure is the whole thing — the runner appending
 * every transition, one job per step attempt, workers loading the run and recording the outcome — while
 * the baseline runs the same number of jobs in the same shape (each target's jobs one after another: a job
 * adds the next) through graphile-worker with a task that does nothing.
 */
export interface DistributedBenchResult {
  mode: 'engine' | 'raw';
  workers: number;
  concurrency: number;
  targets: number;
  steps: number;
  jobs: number;
  wallMs: number;
  stepsPerSecond: number;
  /** Job added → a worker starts it, in ms. */
  dispatchP50Ms: number;
  dispatchP99Ms: number;
  /** What the run left in the database: Flotilla's schema and the queue's, in MB. */
  storeMB: number;
  queueMB: number;
}

const WORKER_CONCURRENCY = 8;
const RAW_TASK = 'bench.raw';
const silent = new Logger(() => () => undefined);

const noop = defineStep({
  id: 'bench/noop',
  description: 'Does nothing (benchmark).',
  kind: 'control',
  workspace: false,
  input: z.strictObject({}),
  output: z.strictObject({}),
  examples: [],
  run: () => Promise.resolve({}),
});

function benchCampaign(steps: number): EngineCampaign {
  const path: EngineStep[] = Array.from({ length: steps }, (_, index) => ({ id: `s${index}`, uses: noop.id, definition: noop, with: {}, timeoutMs: 60_000, attempts: 1, backoffMs: 1000 }));
  return { name: 'bench', hash: 'bench', file: 'bench', spec: {}, change: { title: 'bench', body: '' }, steps: path };
}

function target(name: string): Target {
  return {
    spec: { name, repo: name, tier: 2, tags: [] },
    facts: { name, repo: name, owner: '', tier: 2, tags: [], defaultBranch: 'main', commit: '0'.repeat(40), languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: false, testCommand: '' },
  };
}

/** The server to create benchmark databases on. */
export function benchDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? process.env.FLOTILLA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Coordinator: the engine's runner here, `workers` worker processes beside it. */
export async function benchDistributedEngine(targets: number, steps: number, workers: number): Promise<DistributedBenchResult> {
  const database = await createTestDatabase(benchDatabaseUrl());
  const store = new PostgresStore({ connectionString: database.url, poolSize: 16 });
  const dispatcher = new JobDispatcher({ store, connectionString: database.url });
  await dispatcher.start();
  const children = Array.from({ length: workers }, () => startChild(['dist-worker', database.url, String(steps)]));
  await Promise.all(children.map((child) => child.ready));
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-dist-'));
  try {
    const runner = new CampaignRunner(benchCampaign(steps), { store, stateDir: dir, concurrency: workers * WORKER_CONCURRENCY * 4, scmFor: () => ({}) as ScmAdapter, interpolate: (value) => value, env: {}, executor: dispatcher.executor });
    const started = performance.now();
    const runs = await runner.run(Array.from({ length: targets }, (_, index) => target(`t${index}`)));
    const wallMs = performance.now() - started;
    if (runs.some((entry) => entry.outcome !== 'changed')) throw new Error('a benchmark run did not complete');
    const { rows } = await store.query<{ p50: number; p99: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM started_at - queued_at) * 1000 AS ms FROM ${store.table('step_outcomes')}) latencies`,
    );
    const size = await schemaSizes(store);
    return result('engine', workers, targets, steps, wallMs, rows[0]?.p50 ?? 0, rows[0]?.p99 ?? 0, { storeMB: size(store.schema), queueMB: size(workerSchemaOf(store.schema)) });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await dispatcher.close();
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Coordinator: the same number of no-op jobs, chained per target, through graphile-worker alone. */
export async function benchDistributedRaw(targets: number, steps: number, workers: number): Promise<DistributedBenchResult> {
  const database = await createTestDatabase(benchDatabaseUrl());
  const pool = quietPool(database.url, 4);
  const utils = await makeWorkerUtils({ pgPool: pool, logger: silent });
  await utils.migrate();
  const children = Array.from({ length: workers }, () => startChild(['dist-raw-worker', database.url, String(steps)]));
  await Promise.all(children.map((child) => child.ready));
  try {
    const started = performance.now();
    for (let first = 0; first < targets; first += 1000) {
      const specs = Array.from({ length: Math.min(1000, targets - first) }, (_, index) => ({ identifier: RAW_TASK, payload: { t: first + index, s: 0 } }));
      await utils.addJobs(specs);
    }
    for (;;) {
      const left = await utils.withPgClient((client) => client.query<{ count: string }>('SELECT count(*) AS count FROM graphile_worker.jobs'));
      if (Number(left.rows[0]?.count ?? 1) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const wallMs = performance.now() - started;
    const latencies = (await Promise.all(children.map((child) => child.stop()))).flat().sort((a, b) => a - b);
    const size = await utils.withPgClient((client) => schemaSizes({ query: (text: string) => client.query(text) }));
    return result('raw', workers, targets, steps, wallMs, percentile(latencies, 0.5), percentile(latencies, 0.99), { storeMB: 0, queueMB: size('graphile_worker') });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await utils.release();
    await pool.end();
    await database.drop();
  }
}

/** Child: a `flotilla worker` for the benchmark campaign, until SIGTERM. */
export async function distributedBenchWorker(url: string, steps: number): Promise<void> {
  const campaign = benchCampaign(steps);
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-worker-'));
  const worker = await startWorker({ connectionString: url, stateDir: dir, name: `bench-${process.pid}`, concurrency: WORKER_CONCURRENCY, log: pino({ level: 'silent' }), loadCampaign: () => Promise.resolve(campaign), scmFor: () => ({}) as ScmAdapter });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await worker.stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write('[]\n');
}

/** Child: graphile-worker alone with a task that only queues the target's next job, until SIGTERM. */
export async function rawBenchWorker(url: string, steps: number): Promise<void> {
  const latencies: number[] = [];
  const task: Task = async (payload, helpers) => {
    latencies.push(Date.now() - helpers.job.run_at.getTime());
    const { t, s } = payload as { t: number; s: number };
    if (s + 1 < steps) await helpers.addJob(RAW_TASK, { t, s: s + 1 });
  };
  // The same pool size and settings as a flotilla worker's.
  const pool = quietPool(url, WORKER_CONCURRENCY + 4);
  const runner = await run({ pgPool: pool, concurrency: WORKER_CONCURRENCY, taskList: { [RAW_TASK]: task }, noHandleSignals: true, pollInterval: 1000, logger: silent, parsedCronItems: [] });
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await runner.stop();
  await pool.end();
  process.stdout.write(`${JSON.stringify(latencies)}\n`);
}

/** A pool whose connections may be cut (the database is dropped at the end) without crashing the process. */
function quietPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

interface Child {
  ready: Promise<void>;
  /** SIGTERM, then the latencies the child reports on its last line. */
  stop(): Promise<number[]>;
}

function startChild(args: readonly string[]): Child {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let stopping: Promise<number[]> | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`benchmark worker exited with ${code ?? 'a signal'}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ready,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode === null) child.kill('SIGTERM');
        await exited;
        const last = out.trim().split('\n').pop() ?? '[]';
        return last.startsWith('[') ? (JSON.parse(last) as number[]) : [];
      })();
      return stopping;
    },
  };
}

/** The size of each schema in the database (tables, indexes, TOAST), in MB. */
async function schemaSizes(db: { query: (text: string) => Promise<{ rows: { schema: string; bytes: string }[] }> }): Promise<(schema: string) => number> {
  const { rows } = await db.query(
    `SELECT n.nspname AS schema, sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm') GROUP BY 1`,
  );
  return (schema) => Math.round(Number(rows.find((row) => row.schema === schema)?.bytes ?? 0) / 104_857.6) / 10;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function result(mode: 'engine' | 'raw', workers: number, targets: number, steps: number, wallMs: number, p50: number, p99: number, sizes: { storeMB: number; queueMB: number }): DistributedBenchResult {
  const jobs = targets * steps;
  return { mode, workers, concurrency: WORKER_CONCURRENCY, targets, steps, jobs, wallMs: Math.round(wallMs), stepsPerSecond: Math.round(jobs / (wallMs / 1000)), dispatchP50Ms: Math.round(p50 * 10) / 10, dispatchP99Ms: Math.round(p99 * 10) / 10, ...sizes };
}
