import type { Command } from 'commander';
import { cpus } from 'node:os';
import { startWorker } from '../../distributed/start-worker.js';
import { flotillaHealth } from '../../distributed/health.js';
import { createJsonLogger } from '../../observability/logger.js';
import { listenObservability, observabilityRoutes } from '../../observability/observability-routes.js';
import type { Output } from '../output.js';
import { requireDatabase, stateDirOf, wholeNumber, type GlobalOptions } from '../state.js';

interface WorkerOptions {
  concurrency: string;
  queues: string;
  name?: string;
  metricsPort?: string;
  metricsHost: string;
  shutdownGrace: string;
}

/**
 * `flotilla worker`: runs step attempts from the job queue. Start as many as you like, on any machines
 * that reach the database and the repositories; give each its own `--state` folder (its workspaces).
 * SIGTERM or SIGINT: take no new steps, let running ones finish (after `--shutdown-grace` seconds they are
 * handed back to the queue), then exit. A second signal exits at once; the heartbeat of the other workers
 * frees what was left.
 */
export function registerWorker(program: Command, _output: Output): void {
  program
    .command('worker')
    .description('Run campaign steps from the PostgreSQL job queue (distributed engine)')
    .option('--concurrency <n>', 'steps run at once by this worker', String(cpus().length))
    .option('--queues <names>', 'comma-separated queues to serve', 'default')
    .option('--name <name>', 'this worker\'s name, stable across restarts (default: host and state folder)')
    .option('--metrics-port <port>', 'serve /metrics and /healthz on this port')
    .option('--metrics-host <host>', 'address for --metrics-port', '127.0.0.1')
    .option('--shutdown-grace <seconds>', 'how long a shutdown waits for running steps before handing them back', '30')
    .action(async (options: WorkerOptions, command: Command) => {
      const stateDir = stateDirOf(command.optsWithGlobals<GlobalOptions>());
      const url = requireDatabase('worker');
      const concurrency = wholeNumber('--concurrency', options.concurrency);
      const grace = wholeNumber('--shutdown-grace', options.shutdownGrace, 0);
      const metricsPort = options.metricsPort === undefined ? undefined : wholeNumber('--metrics-port', options.metricsPort, 0);
      const queues = options.queues.split(',').map((queue) => queue.trim()).filter(Boolean);
      const log = createJsonLogger('worker');
      const worker = await startWorker({ connectionString: url, stateDir, concurrency, queues, log, shutdownGraceMs: grace * 1000, ...(options.name ? { name: options.name } : {}) });
      const http = metricsPort === undefined ? undefined : await listenObservability(metricsPort, options.metricsHost, observabilityRoutes(worker.metrics.registry, () => flotillaHealth(worker.store, { worker: worker.name })));
      if (http) log.info({ url: `http://${options.metricsHost}:${http.port}/metrics` }, 'metrics listening');
      const signalled = new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      const ended = await Promise.race([signalled, worker.done.then(() => 'ended' as const)]);
      if (ended !== 'ended') {
        log.info({ signal: ended, graceSeconds: grace }, 'stopping: finishing running steps');
        const force = (): void => process.exit(130);
        process.once('SIGINT', force);
        process.once('SIGTERM', force);
      }
      http?.server.close();
      await worker.stop();
      log.info({}, 'worker stopped');
    });
}
