import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MetricsRegistry } from './metrics.js';

/** What `/healthz` reports: `ok` false answers 503, so a load balancer or an orchestrator stops sending work. */
export type HealthProbe = () => Promise<{ ok: boolean } & Record<string, unknown>>;

/**
 * Serves `GET /metrics` (Prometheus text) and `GET /healthz` (JSON); returns false for any other request,
 * so `flotilla server` can mount these beside its API and webhooks.
 */
export function observabilityRoutes(registry: MetricsRegistry, health: HealthProbe): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/metrics') {
      registry.render().then(
        (text) => {
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
      return true;
    }
    if (path === '/healthz') {
      health().then(
        (report) => {
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(report));
        },
        (error: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, reason: error instanceof Error ? error.message : String(error) }));
        },
      );
      return true;
    }
    return false;
  };
}

/** A listener for the worker's `--metrics-port`: the two routes and nothing else. */
export async function listenObservability(port: number, host: string, routes: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (routes(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, reason: 'only /metrics and /healthz here' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}
