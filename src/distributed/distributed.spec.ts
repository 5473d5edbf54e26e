import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pino } from 'pino';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import { CampaignRunner } from '../engine/campaign-runner.js';
import type { EngineCampaign, EngineStep } from '../engine/engine-campaign.js';
import type { Target } from '../model/fleet.js';
import { defineStep, type AnyStep } from '../sdk/step.js';
import { dropSchemas, openTestPostgresStore, testDatabaseUrl } from '../store/postgres/testing.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { JobDispatcher } from './job-executor.js';
import { startWorker, type RunningWorker } from './start-worker.js';
import { workerSchemaOf } from './step-job.js';

const calls: string[] = [];

const record = defineStep({
  id: 'test/record',
  description: 'Records that it ran (tests).',
  kind: 'control',
  workspace: false,
  input: z.strictObject({ fail: z.boolean().default(false), ms: z.number().default(0) }),
  output: z.strictObject({ ran: z.string() }),
  examples: [],
  async run(input, ctx) {
    calls.push(`${ctx.runId}/${ctx.stepId}/${ctx.attempt}`);
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    if (input.fail) throw new Error(`${ctx.stepId} broke on purpose`);
    return { ran: `${ctx.target.spec.name}:${ctx.stepId}` };
  },
});

function step(id: string, definition: AnyStep, inputs: Record<string, unknown> = {}, extra: Partial<EngineStep> = {}): EngineStep {
  return { id, uses: definition.id, definition, with: inputs, timeoutMs: 30_000, attempts: 1, backoffMs: 10, ...extra };
}

function targets(count: number): Target[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `t${index}`;
    return {
      spec: { name, repo: name, tier: 2, tags: [] },
      facts: { name, repo: name, owner: '', tier: 2, tags: [], defaultBranch: 'main', commit: 'a'.repeat(40), languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: false, testCommand: '' },
    };
  });
}

const url = testDatabaseUrl();
const silent = pino({ level: 'silent' });

// Needs a PostgreSQL server: with FLOTILLA_TEST_DATABASE_URL=off there is nothing to run these on.
describe.skipIf(!url)('distributed engine: runner, job queue and workers', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(campaign: EngineCampaign, workers: number, grace = 30_000): Promise<{ store: PostgresStore; dispatcher: JobDispatcher; running: RunningWorker[]; add: () => Promise<RunningWorker> }> {
    const opened = await openTestPostgresStore(url ?? '');
    cleanups.push(async () => {
      await opened.cleanup();
      await dropSchemas(url ?? '', [workerSchemaOf(opened.schema)]);
    });
    const dispatcher = new JobDispatcher({ store: opened.store, connectionString: url ?? '', sweepMs: 500 });
    await dispatcher.start();
    cleanups.push(() => dispatcher.close());
    const running: RunningWorker[] = [];
    const add = async (): Promise<RunningWorker> => {
      const index = running.length;
      const worker = await startWorker({
        connectionString: url ?? '',
        schema: opened.schema,
        stateDir: `/nonexistent/worker-${index}`,
        name: `w${index}`,
        concurrency: 2,
        log: silent,
        shutdownGraceMs: grace,
        loadCampaign: () => Promise.resolve(campaign),
        scmFor: () => ({}) as ScmAdapter,
      });
      cleanups.push(() => worker.stop());
      running.push(worker);
      return worker;
    };
    for (let index = 0; index < workers; index++) await add();
    return { store: opened.store, dispatcher, running, add };
  }

  function runner(store: PostgresStore, dispatcher: JobDispatcher, campaign: EngineCampaign): CampaignRunner {
    return new CampaignRunner(campaign, { store, stateDir: '/nonexistent/runner', concurrency: 8, scmFor: () => ({}) as ScmAdapter, interpolate: (value) => value, env: {}, executor: dispatcher.executor });
  }

  it('runs every step on the workers, each attempt once, with step failures as outcomes', async () => {
    calls.length = 0;
    const campaign: EngineCampaign = { name: 'spread', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('a', record), step('b', record, { fail: true }, { onFailure: 'continue' }), step('c', record)] };
    const { store, dispatcher, running } = await setup(campaign, 2);
    const results = await runner(store, dispatcher, campaign).run(targets(6));
    expect(results.map((run) => run.outcome)).toEqual(Array.from({ length: 6 }, () => 'changed'));
    expect(results[0]?.steps.c?.output).toEqual({ ran: 't0:c' });
    expect(results[0]?.steps.b?.error?.message).toContain('b broke on purpose');
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls).toHaveLength(18);
    const finished = running.reduce((sum, worker) => sum + worker.metrics.stepsFinished.get({ campaign: 'spread', step: 'a', result: 'succeeded' }), 0);
    expect(finished).toBe(6);
  });

  it('finds an outcome recorded while no runner waited, and adds no job for it', async () => {
    calls.length = 0;
    const campaign: EngineCampaign = { name: 'restart', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('a', record, { ms: 300 }), step('b', record)] };
    const { store, dispatcher } = await setup(campaign, 1);
    const controller = new AbortController();
    const first = new CampaignRunner(campaign, {
      store,
      stateDir: '/nonexistent/runner',
      concurrency: 4,
      scmFor: () => ({}) as ScmAdapter,
      interpolate: (value) => value,
      env: {},
      executor: dispatcher.executor,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step.started' && event.data.step === 'a') controller.abort();
      },
    });
    const partial = await first.run(targets(1));
    expect(partial[0]?.steps.a?.status).toBe('running');
    // The worker finishes the step while no runner is there; the next runner takes its outcome.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const [done] = await runner(store, dispatcher, campaign).run(targets(1));
    expect(done?.outcome).toBe('changed');
    expect(calls).toEqual(['restart:t0/a/1', 'restart:t0/b/1']);
  });

  it('finishes a running step on SIGTERM-style shutdown before it stops', async () => {
    calls.length = 0;
    const campaign: EngineCampaign = { name: 'graceful', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('slow', record, { ms: 1500 })] };
    const { store, dispatcher, running } = await setup(campaign, 1);
    const run = runner(store, dispatcher, campaign).run(targets(1));
    await until(() => calls.length === 1);
    const stopped = Date.now();
    await running[0]?.stop();
    expect(Date.now() - stopped).toBeGreaterThan(500);
    const [done] = await run;
    expect(done?.outcome).toBe('changed');
    expect(calls).toEqual(['graceful:t0/slow/1']);
  });

  it('hands a step back when the shutdown grace runs out, and another worker runs it', async () => {
    calls.length = 0;
    const campaign: EngineCampaign = { name: 'handback', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('slow', record, { ms: 4000 })] };
    const { store, dispatcher, running, add } = await setup(campaign, 1, 200);
    const run = runner(store, dispatcher, campaign).run(targets(1));
    await until(() => calls.length === 1);
    const stopped = Date.now();
    await running[0]?.stop();
    expect(Date.now() - stopped).toBeLessThan(3000);
    await add();
    const [done] = await run;
    expect(done?.outcome).toBe('changed');
    expect(calls).toEqual(['handback:t0/slow/1', 'handback:t0/slow/1']);
    expect(done?.steps.slow?.attempt).toBe(1);
  }, 60_000);

  it('frees the jobs of a worker whose heartbeat stopped', async () => {
    const campaign: EngineCampaign = { name: 'reaped', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('a', record)] };
    const { store } = await setup(campaign, 1);
    const gw = `"${workerSchemaOf(store.schema)}"`;
    await store.query(`SELECT ${gw}.add_job('flotilla.step.none', '{}'::json, job_key => 'orphan')`);
    await store.query(`UPDATE ${gw}._private_jobs SET locked_by = 'pool-dead', locked_at = now() - interval '1 minute' WHERE key = 'orphan'`);
    await store.query(`INSERT INTO ${store.table('workers')} (pool_id, name, host, pid, heartbeat_at) VALUES ('pool-dead', 'gone', 'h', 1, now() - interval '1 minute')`);
    await until(async () => {
      const { rows } = await store.query<{ locked_by: string | null }>(`SELECT locked_by FROM ${gw}.jobs WHERE key = 'orphan'`);
      return rows[0]?.locked_by === null;
    }, 10_000);
    const { rows } = await store.query(`SELECT 1 FROM ${store.table('workers')} WHERE pool_id = 'pool-dead'`);
    expect(rows).toHaveLength(0);
  });
});

async function until(probe: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
