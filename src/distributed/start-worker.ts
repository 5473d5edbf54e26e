import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { makeWorkerUtils, run, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import { createScmResolver } from '../adapters/scm/scm-for.js';
import { storedCampaign } from '../app/stored-campaign.js';
import type { EngineCampaign } from '../engine/engine-campaign.js';
import { interpolate } from '../expr/template.js';
import { FlotillaError } from '../model/errors.js';
import type { Target } from '../model/fleet.js';
import { createFlotillaMetrics, type FlotillaMetrics } from '../observability/flotilla-metrics.js';
import { graphileLoggerFor, type JsonLogger } from '../observability/logger.js';
import { provideConfidenceHistory } from '../steps/confidence/history-registry.js';
import { storeConfidenceHistory } from '../steps/confidence/store-history.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { PortableWorkspaces } from './portable-workspace.js';
import { workerSchemaOf, taskOf } from './step-job.js';
import { createStepTask } from './step-task.js';
import { WorkerHeartbeat } from './worker-heartbeat.js';

export interface WorkerSettings {
  connectionString: string;
  /** This worker's own state folder (workspaces, mirrors); give each worker its own. */
  stateDir: string;
  /** Stable across restarts so a restarted worker gets its runs back (default: host and state folder). */
  name?: string;
  concurrency: number;
  /** Queues served (default `default`). */
  queues?: readonly string[];
  schema?: string;
  log: JsonLogger;
  /** How long a shutdown waits for running steps before handing them back (default 30 s). */
  shutdownGraceMs?: number;
  heartbeatMs?: number;
  staleMs?: number;
  /** Tests and benchmarks: campaigns whose steps are not in the step registry. */
  loadCampaign?: (name: string, hash: string) => Promise<EngineCampaign>;
  scmFor?: (target: Target) => ScmAdapter;
}

export interface RunningWorker {
  name: string;
  store: PostgresStore;
  metrics: FlotillaMetrics;
  /** Stops taking jobs, lets running steps finish (or hands them back after the grace), then closes. */
  stop(): Promise<void>;
  /** Settles when graphile-worker stops (by `stop`, or by failing). */
  done: Promise<void>;
}

/** The default worker name: the host and a hash of the state folder, the same on every restart. */
export function defaultWorkerName(stateDir: string): string {
  return `${hostname()}-${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 8)}`;
}

/**
 * A `flotilla worker` process: graphile-worker running the step task for the given queues, a heartbeat
 * that frees dead workers' jobs, and the workspaces on this worker's disk.
 */
export async function startWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const name = settings.name ?? defaultWorkerName(settings.stateDir);
  const store = new PostgresStore({ connectionString: settings.connectionString, ...(settings.schema ? { schema: settings.schema } : {}), poolSize: settings.concurrency + 4 });
  await store.ready();
  const workerSchema = workerSchemaOf(store.schema);
  const log = settings.log.child({ worker: name });
  const metrics = createFlotillaMetrics({ store, workerSchema });
  await refuseTwin(store, name).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const utils = await makeWorkerUtils({ pgPool: store.pool, schema: workerSchema, logger: graphileLoggerFor(log) });
  await utils.migrate();
  const heartbeat = new WorkerHeartbeat({ store, utils, workerSchema, name, log, ...(settings.heartbeatMs ? { everyMs: settings.heartbeatMs } : {}), ...(settings.staleMs ? { staleMs: settings.staleMs } : {}) });
  const workspaces = new PortableWorkspaces(store, settings.stateDir);
  // confidence/gate runs here, so this process provides it the store's history, as createRunner does.
  provideConfidenceHistory(storeConfidenceHistory(store));
  const task = createStepTask({
    store,
    stateDir: settings.stateDir,
    workerName: name,
    workspaces,
    loadCampaign: settings.loadCampaign ?? campaignLoader(store),
    // The same adapters createRunner gives the embedded engine: chosen per target from its repository.
    scmFor: settings.scmFor ?? createScmResolver(process.env),
    interpolate: (value, scope) => interpolate(value, scope),
    metrics,
    log,
  });
  const taskList: TaskList = {};
  for (const queue of settings.queues ?? ['default']) taskList[taskOf(queue)] = task;
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => heartbeat.attach(workerPool.id));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: store.pool,
      schema: workerSchema,
      concurrency: settings.concurrency,
      taskList,
      noHandleSignals: true,
      pollInterval: 1000,
      forbiddenFlags: heartbeat.forbiddenFlags,
      events,
      logger: graphileLoggerFor(log),
      gracefulShutdownAbortTimeout: settings.shutdownGraceMs ?? 30_000,
      parsedCronItems: [],
    });
  } catch (error) {
    await utils.release();
    await store.close();
    throw error;
  }
  const collector = setInterval(() => void workspaces.collect().catch(() => undefined), 30_000);
  collector.unref();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(collector);
      await runner.stop().catch((error: unknown) => log.warn({ error: error instanceof Error ? error.message : String(error) }, 'graceful shutdown ended with an error'));
      await heartbeat.stop();
      await utils.release();
      await store.close();
    })();
    return stopping;
  };
  log.info({ concurrency: settings.concurrency, queues: Object.keys(taskList), stateDir: settings.stateDir }, 'worker started');
  return { name, store, metrics, stop, done: runner.promise };
}

/**
 * Two live workers with one name would share a home flag (and, by default, a state folder): refuse to
 * start beside a live process of the same name on this host. A dead one (a worker restarted after a crash
 * whose heartbeat is not stale yet) is no obstacle.
 */
async function refuseTwin(store: PostgresStore, name: string): Promise<void> {
  const { rows } = await store.query<{ host: string; pid: number }>(
    `SELECT host, pid FROM ${store.table('workers')} WHERE name = $1 AND heartbeat_at > now() - interval '10 seconds'`,
    [name],
  );
  for (const row of rows) {
    if (row.host !== hostname() || row.pid === process.pid || !isAlive(row.pid)) continue;
    throw new FlotillaError('conflict', `a worker named ${name} is already running here (pid ${row.pid}): give each worker its own --state folder or --name`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Loads a campaign from its file through the store, once per definition hash. */
function campaignLoader(store: PostgresStore): (name: string, hash: string) => Promise<EngineCampaign> {
  const cache = new Map<string, Promise<EngineCampaign>>();
  return (name, hash) => {
    const key = `${name}\u0000${hash}`;
    let loading = cache.get(key);
    if (!loading) {
      loading = storedCampaign(store, name).then((campaign) => {
        if (campaign.hash !== hash) throw new FlotillaError('conflict', `campaign ${name} was redefined since this step was queued`);
        return campaign;
      });
      loading.catch(() => cache.delete(key));
      cache.set(key, loading);
    }
    return loading;
  };
}
