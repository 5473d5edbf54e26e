import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, testDatabaseUrl } from '../../src/store/postgres/testing.js';
import { startFlotilla, type CliResult } from './cli.js';

/**
 * The distributed engine as processes: a fresh PostgreSQL database, one `flotilla server` and N
 * `flotilla worker`s, each worker with its own state folder — what a deployment runs, on one machine.
 */
export interface Cluster {
  /** The database URL to pass as `--database`. */
  database: string;
  serverUrl: string;
  workers: (ChildProcess | undefined)[];
  /** Each worker's `/metrics` URL (its latest start). */
  workerMetrics: string[];
  /** The JSON log lines every worker printed so far. */
  workerLogs: Record<string, unknown>[];
  /** Every worker process started so far (restarts included), to check how they ended. */
  started: { child: ChildProcess; done: Promise<CliResult> }[];
  startWorker(index: number): Promise<void>;
  /** Stops everything (SIGTERM, then SIGKILL after a grace) and drops the database. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  dir: string;
  workers?: number;
  concurrency?: number;
  env?: Record<string, string | undefined>;
  /** Extra arguments for each worker. */
  workerArgs?: string[];
}

/** Collects a process's JSON log lines, to wait for one with a given `msg` (already printed or still to come). */
function watchLogs(child: ChildProcess, lines: Record<string, unknown>[] = []): (message: string, ms?: number) => Promise<Record<string, unknown>> {
  let buffer = '';
  const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer | string) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const part of parts) {
      try {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        for (const waiter of waiters.filter((entry) => entry.message === line.msg)) waiter.resolve(line);
      } catch {
        // not a log line
      }
    }
  });
  return (message, ms = 30_000) => {
    const seen = lines.find((line) => line.msg === message);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for "${message}"`)), ms);
      child.once('exit', (code) => reject(new Error(`exited with ${code ?? 'a signal'} before "${message}"`)));
      waiters.push({ message, resolve: (line) => (clearTimeout(timer), resolve(line)) });
    });
  };
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const base = testDatabaseUrl();
  if (!base) throw new Error('the distributed tests need PostgreSQL (FLOTILLA_TEST_DATABASE_URL)');
  const database = await createTestDatabase(base);
  const env = options.env ?? {};
  const all: ChildProcess[] = [];
  const started: { child: ChildProcess; done: Promise<CliResult> }[] = [];
  const server = startFlotilla(['server', '--port', '0', '--state', join(options.dir, 'server'), '--database', database.url], { env });
  all.push(server.child);
  const listening = await watchLogs(server.child)('flotilla server listening');
  const workers: (ChildProcess | undefined)[] = [];
  const workerMetrics: string[] = [];
  const workerLogs: Record<string, unknown>[] = [];
  const startWorker = async (index: number): Promise<void> => {
    const args = ['worker', '--state', join(options.dir, `worker-${index}`), '--concurrency', String(options.concurrency ?? 2), '--database', database.url, '--shutdown-grace', '5', '--metrics-port', '0', ...(options.workerArgs ?? [])];
    const worker = startFlotilla(args, { env });
    all.push(worker.child);
    started.push(worker);
    workers[index] = worker.child;
    const logs = watchLogs(worker.child, workerLogs);
    await logs('worker started');
    workerMetrics[index] = String((await logs('metrics listening')).url);
  };
  for (let index = 0; index < (options.workers ?? 3); index++) await startWorker(index);
  return {
    database: database.url,
    serverUrl: String(listening.url),
    workers,
    workerMetrics,
    workerLogs,
    started,
    startWorker,
    stop: async () => {
      const live = all.filter((child) => child.exitCode === null && child.signalCode === null);
      await Promise.all(
        live.map(
          (child) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      await database.drop();
    },
  };
}
