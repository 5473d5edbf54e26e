import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Store } from '../store/store.js';
import { emptySchema } from './api-requests.js';
import { bearerMatches } from './api-token.js';
import { CAMPAIGN_ROUTES } from './campaign-routes.js';
import { CampaignIndex } from './campaign-index.js';
import { EventStreamHub } from './event-stream.js';
import { BackgroundReverts } from './background-reverts.js';
import { answerFor, ApiError, parseBody, parseQuery, sendJson } from './http.js';
import { InProcessApplier } from './in-process-applier.js';
import { LogStreamHub } from './log-stream.js';
import { openApiDocument } from './openapi.js';
import { defineRoute, pathPattern, type ApiServices, type Route } from './route.js';
import { RUN_ROUTES } from './run-routes.js';

export interface ApiHandlerOptions {
  store: Store;
  /** The state folder: reverts (campaigns of their own) and an `in-process` applier run from it. */
  stateDir: string;
  /** The bearer token every request but the OpenAPI document must carry (see `loadApiToken`). */
  token: string;
  /** Reads without the token (`flotilla serve --open-reads`); actions always need it. */
  openReads?: boolean;
  /**
   * Who applies what actions record. `supervisor` (default): a process that runs campaigns, such as the
   * supervisor of `flotilla serve`. `in-process`: this handler continues the campaign itself, as the CLI.
   */
  apply?: 'supervisor' | 'in-process';
  /**
   * Added to the environment of the `flotilla revert` a revert request starts. A server on PostgreSQL
   * passes `{ DATABASE_URL }` (unless it is in the environment already); without it reverts answer 501.
   */
  childEnv?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
  /** How often streams read the store (default 500 ms). */
  pollMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** A node:http handler for `/api/…`, mountable on any server; `close` ends its streams. */
export interface ApiHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
  /** The routes it serves (for docs and tests). */
  readonly routes: readonly Route[];
}

const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * The HTTP API: campaigns, runs, why runs are stuck, actions, and live events. Requests are checked in
 * this order and nothing is read or written until each check passes: the route exists (404) and takes
 * the method (405), the token (401), the query and body against the route's schemas (400/413/415).
 * Errors are JSON `{ok: false, reason}`.
 */
export function createApiHandler(options: ApiHandlerOptions): ApiHandler {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const applier = options.apply === 'in-process' ? new InProcessApplier(options.store, options.stateDir, log) : undefined;
  const reverts = new BackgroundReverts(options.stateDir, log, options.childEnv);
  const services: ApiServices = {
    store: options.store,
    index: new CampaignIndex(options.store),
    events: new EventStreamHub(options.store, options.pollMs, log),
    logs: new LogStreamHub(options.store, options.pollMs, log),
    now,
    actions: {
      store: options.store,
      now,
      changed: (campaign) => applier?.kick(campaign),
      appliedBy: applier ? 'this server, now' : 'the process that runs the campaign (flotilla serve applies it within seconds)',
      reverts,
    },
  };
  const routes: Route[] = [...CAMPAIGN_ROUTES, ...RUN_ROUTES];
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/api/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document (no token needed)',
      access: 'public',
      query: emptySchema,
      handle: () => Promise.resolve(openApiDocument(routes, VERSION)),
    }),
  );
  const compiled = routes.map((route) => ({ route, pattern: pathPattern(route.path) }));

  const dispatch = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const matches = compiled.map((entry) => ({ ...entry, found: entry.pattern.exec(url.pathname) })).filter((entry) => entry.found);
    if (matches.length === 0) throw new ApiError(404, `no API route ${url.pathname}; GET /api/openapi.json lists them`);
    const match = matches.find((entry) => entry.route.method === req.method);
    if (!match?.found) {
      res.setHeader('allow', matches.map((entry) => entry.route.method).join(', '));
      throw new ApiError(405, `${url.pathname} takes ${matches.map((entry) => entry.route.method).join(' or ')}, not ${req.method ?? ''}`);
    }
    const { route } = match;
    const needsToken = route.access === 'write' || (route.access === 'read' && !options.openReads);
    if (needsToken && !bearerMatches(req.headers.authorization, options.token)) {
      res.setHeader('www-authenticate', 'Bearer');
      throw new ApiError(401, 'send the API token as `Authorization: Bearer <token>` (flotilla serve prints it on first start and keeps it in <state>/api-token)');
    }
    const params = match.found.slice(1).map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        throw new ApiError(400, `the path part ${part} is not valid percent-encoding`);
      }
    });
    const query = parseQuery(url, route.query);
    const body = route.body ? await parseBody(req, route.body) : undefined;
    const answer = await route.handle({ req, res, params, query, body, services });
    if (answer !== undefined) sendJson(res, route.status ?? 200, answer);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    dispatch(req, res).catch((error: unknown) => {
      const { status, reason } = answerFor(error);
      if (status >= 500 && status !== 501) log('API request failed', { method: req.method, path: req.url, error: (error as Error).message });
      if (res.headersSent) return void res.end();
      sendJson(res, status, { ok: false, reason });
    });
  };
  return Object.assign(handler, {
    routes,
    async close(): Promise<void> {
      services.events.close();
      services.logs.close();
      await reverts.close();
      await applier?.idle();
    },
  });
}
