import type { Command } from 'commander';
import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import { loadApiToken } from '../../api/api-token.js';
import { createApiHandler } from '../../api/create-api-handler.js';
import { createDashboardHandler } from '../../api/dashboard-assets.js';
import { routeEvents } from '../../app/route-events.js';
import { flotillaHealth } from '../../distributed/health.js';
import { JobDispatcher } from '../../distributed/job-executor.js';
import { workerSchemaOf } from '../../distributed/step-job.js';
import { createHooksHandler } from '../../hooks/create-hooks-handler.js';
import { badInput } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import { createFlotillaMetrics, observeEvent } from '../../observability/flotilla-metrics.js';
import { createJsonLogger, type JsonLogger } from '../../observability/logger.js';
import { observabilityRoutes } from '../../observability/observability-routes.js';
import { CampaignSupervisor } from '../../server/campaign-supervisor.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import type { Output } from '../output.js';
import { requireDatabase, stateDirOf, wholeNumber, type GlobalOptions } from '../state.js';

interface ServerOptions {
  port: string;
  host: string;
  concurrency: string;
  openReads?: boolean;
  queue: string[];
}

/**
 * `flotilla server`: the distributed engine's long-lived process. It serves what `flotilla serve` serves
 * (webhooks, the API, the dashboard) plus `/metrics` and `/healthz`, and keeps every unfinished campaign
 * moving — the reducer runs here, each step attempt goes to `flotilla worker` processes through the job
 * queue. Run several for availability: a campaign is held by one server at a time (a lease that expires).
 * Logs are JSON lines on stdout.
 */
export function registerServer(program: Command, _output: Output): void {
  program
    .command('server')
    .description('Serve webhooks, the API and metrics, and drive campaigns whose steps run on flotilla workers (PostgreSQL)')
    .option('--port <port>', 'HTTP port', process.env.FLOTILLA_PORT ?? '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--concurrency <n>', 'steps queued or running at once, per campaign', '256')
    .option('--open-reads', 'let the API answer reads without the token (actions still need it)')
    .option('--queue <uses=queue>', 'send steps of this type to a queue (repeatable), e.g. canary/local=canary', collect, [])
    .action(async (options: ServerOptions, command: Command) => {
      const stateDir = stateDirOf(command.optsWithGlobals<GlobalOptions>());
      const url = requireDatabase('server');
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw badInput(`--port must be a port number, not ${options.port}`, { field: '--port' });
      const concurrency = wholeNumber('--concurrency', options.concurrency);
      const queues = queueMap(options.queue);
      const log = createJsonLogger('server');
      // The supervisor's shutdown signal gets a listener per step in flight: up to --concurrency per campaign.
      setMaxListeners(concurrency + 64);
      const store = new PostgresStore({ connectionString: url, poolSize: 10 });
      await store.ready();
      const dispatcher = new JobDispatcher({ store, connectionString: url, queueOf: (execution) => queues.get(execution.step.uses) ?? 'default', warn: (message) => log.warn({}, message) });
      await dispatcher.start();
      const metrics = createFlotillaMetrics({ store, workerSchema: workerSchemaOf(store.schema) });
      const onEvent = (event: RunEvent, state: RunState): void => {
        observeEvent(metrics, state.campaign, event);
        logEvent(log, event, state);
      };
      const supervisor = new CampaignSupervisor(store, stateDir, { concurrency, executor: dispatcher.executor, onEvent }, (message) => log.warn({ detail: message }, 'a campaign could not run'), 1000);
      const secrets: Record<string, string> = {};
      if (process.env.FLOTILLA_WEBHOOK_SECRET) secrets.generic = process.env.FLOTILLA_WEBHOOK_SECRET;
      if (process.env.FLOTILLA_GITHUB_WEBHOOK_SECRET) secrets.github = process.env.FLOTILLA_GITHUB_WEBHOOK_SECRET;
      const hooks = createHooksHandler({
        secrets,
        deliver: (events) => routeEvents(store, events),
        deliveries: { seen: (id) => store.deliverySeen(id), record: async (id, at) => void (await store.recordDelivery(id, at)) },
        now: () => new Date(),
      });
      const token = await loadApiToken(stateDir);
      const api = createApiHandler({ store, stateDir, token: token.token, openReads: options.openReads ?? false, log: (message, fields) => log.warn(fields, message) });
      const dashboard = createDashboardHandler();
      const observability = observabilityRoutes(metrics.registry, () => flotillaHealth(store, { campaigns: supervisor.campaigns() }));
      const server = createServer((req, res) => {
        if (observability(req, res)) return;
        if (req.method === 'POST' && req.url?.startsWith('/hooks/')) return void hooks(req, res);
        if (req.url === '/api' || req.url?.startsWith('/api/')) return api(req, res);
        if (req.method === 'GET' || req.method === 'HEAD') return dashboard(req, res);
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, reason: `no route for ${req.method ?? ''} ${req.url ?? ''}` }));
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, options.host, resolve);
      });
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      log.info({ url: `http://${options.host}:${bound}`, webhooks: Object.keys(secrets), concurrency }, 'flotilla server listening');
      if (token.source === 'generated') log.info({ file: token.file }, 'API token generated; it is kept in this file');
      supervisor.start();
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      log.info({ signal }, 'stopping; steps running on workers finish there and are picked up on the next start');
      await api.close();
      server.close();
      await supervisor.stop();
      await dispatcher.close();
      await store.close();
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function queueMap(entries: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const [uses, queue] = entry.split('=');
    if (!uses || !queue || !/^[a-z0-9-]+$/.test(queue)) throw badInput(`--queue must be uses=queue (a queue is [a-z0-9-]+), not ${entry}`, { field: '--queue' });
    map.set(uses, queue);
  }
  return map;
}

/** A JSON log line per run outcome and per failed step (every event at debug level), with the ids. */
function logEvent(log: JsonLogger, event: RunEvent, state: RunState): void {
  const fields: Record<string, unknown> = { campaign: state.campaign, target: state.target, runId: state.runId, event: event.type };
  if ('step' in event.data) fields.step = event.data.step;
  if ('attempt' in event.data) fields.attempt = event.data.attempt;
  if (event.type === 'run.completed') log.info({ ...fields, outcome: event.data.outcome, reasons: event.data.reasons }, 'run completed');
  else if (event.type === 'step.failed') log.info({ ...fields, error: event.data.error.message, retryable: event.data.error.retryable }, 'step failed');
  else log.debug(fields, 'run event');
}
