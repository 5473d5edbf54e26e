import type { Command } from 'commander';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { loadApiToken } from '../../api/api-token.js';
import { createApiHandler } from '../../api/create-api-handler.js';
import { createDashboardHandler } from '../../api/dashboard-assets.js';
import { routeEvents } from '../../app/route-events.js';
import { createHooksHandler } from '../../hooks/create-hooks-handler.js';
import { badInput } from '../../model/errors.js';
import { CampaignSupervisor } from '../../server/campaign-supervisor.js';
import type { Output } from '../output.js';
import { openStore, stateDirOf, type GlobalOptions } from '../state.js';

interface ServeOptions {
  port: string;
  host: string;
  concurrency: string;
  openReads?: boolean;
}

/**
 * `flotilla serve`: the long-lived process of the embedded engine. It moves every unfinished campaign,
 * applies events as they arrive (signed webhooks on `POST /hooks/{source}`, `flotilla approve`/`emit`
 * and the API's actions through the store's inbox) and deadlines as they pass. The same server answers
 * the HTTP API on `/api/…` and serves the dashboard on `/`.
 */
export function registerServe(program: Command, output: Output): void {
  program
    .command('serve')
    .description('Serve webhooks and keep every unfinished campaign moving (events, approvals, deadlines)')
    .option('--port <port>', 'HTTP port', process.env.FLOTILLA_PORT ?? '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--concurrency <n>', 'steps in flight at once, per campaign', String(cpus().length))
    .option('--open-reads', 'let the API answer reads without the token (actions still need it)')
    .addHelpText(
      'after',
      '\nWebhook secrets come from the environment: FLOTILLA_WEBHOOK_SECRET (POST /hooks/generic) and\nFLOTILLA_GITHUB_WEBHOOK_SECRET (POST /hooks/github). A source without a secret is refused.\n\nThe API (/api/…) and the dashboard (/) need a bearer token: FLOTILLA_API_TOKEN, or one generated on\nfirst start, printed once and kept in <state>/api-token (mode 0600).',
    )
    .action(async (options: ServeOptions, command: Command) => {
      const stateDir = stateDirOf(command.optsWithGlobals<GlobalOptions>());
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) throw badInput(`--port must be a port number, not ${options.port}`, { field: '--port' });
      const store = openStore(stateDir);
      const secrets: Record<string, string> = {};
      if (process.env.FLOTILLA_WEBHOOK_SECRET) secrets.generic = process.env.FLOTILLA_WEBHOOK_SECRET;
      if (process.env.FLOTILLA_GITHUB_WEBHOOK_SECRET) secrets.github = process.env.FLOTILLA_GITHUB_WEBHOOK_SECRET;
      const hooks = createHooksHandler({
        secrets,
        deliver: (events) => routeEvents(store, events),
        deliveries: { seen: (id) => store.deliverySeen(id), record: async (id, at) => void (await store.recordDelivery(id, at)) },
        now: () => new Date(),
      });
      const supervisor = new CampaignSupervisor(store, stateDir, { concurrency: Number(options.concurrency) }, (message) => output.err(`flotilla: ${message}`), 1000);
      const token = await loadApiToken(stateDir);
      const api = createApiHandler({
        store,
        stateDir,
        token: token.token,
        openReads: options.openReads ?? false,
        log: (message, fields) => output.err(`flotilla: ${message} ${JSON.stringify(fields)}`),
      });
      const dashboard = createDashboardHandler();
      const server = createServer((req, res) => {
        if (req.method === 'POST' && req.url?.startsWith('/hooks/')) return void hooks(req, res);
        if (req.method === 'GET' && req.url === '/healthz') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify({ ok: true, campaigns: supervisor.campaigns() }));
        }
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
      output.out(`flotilla serving on http://${options.host}:${bound} (webhooks: ${Object.keys(secrets).map((source) => `/hooks/${source}`).join(', ') || 'none: set FLOTILLA_WEBHOOK_SECRET'})`);
      output.out(`dashboard: http://${options.host}:${bound}/  API: http://${options.host}:${bound}/api/  (reads ${options.openReads ? 'open' : 'need the token'})`);
      // Shown once, when it is made; afterwards it is in the state folder (mode 0600) or the environment.
      if (token.source === 'generated') output.out(`API token (kept in ${token.file ?? 'the state folder'}): ${token.token}`);
      supervisor.start();
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      output.out('flotilla: stopping; running steps resume on the next start');
      await api.close();
      server.close();
      await supervisor.stop();
      await store.close();
    });
}
