import type { StepExecutor } from '../engine/campaign-runner.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import type { Store } from '../store/store.js';
import { JobDispatcher } from './job-executor.js';

const dispatchers = new WeakMap<PostgresStore, JobDispatcher>();

/**
 * The step executor a runner gets by default for a store: on PostgreSQL, steps go to `flotilla worker`
 * processes through the job queue (one dispatcher per store, closed with it) — the distributed engine,
 * whichever command runs the campaign (`run`, `approve`, `serve`, `server`); on SQLite, undefined (steps
 * run in this process). `FLOTILLA_EXECUTOR=local` runs steps in this process on PostgreSQL too.
 */
export function defaultExecutorFor(store: Store, env: Readonly<Record<string, string | undefined>> = process.env): StepExecutor | undefined {
  if (!(store instanceof PostgresStore) || env.FLOTILLA_EXECUTOR === 'local') return undefined;
  let dispatcher = dispatchers.get(store);
  if (!dispatcher) {
    const created = new JobDispatcher({ store, connectionString: store.connectionString, warn: (message) => void process.stderr.write(`flotilla: ${message}\n`) });
    store.onClose(() => created.close());
    dispatchers.set(store, created);
    dispatcher = created;
  }
  return dispatcher.executor;
}
