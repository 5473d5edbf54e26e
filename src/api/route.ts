import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Store } from '../store/store.js';
import type { ActionContext } from './actions.js';
import type { CampaignIndex } from './campaign-index.js';
import type { EventStreamHub } from './event-stream.js';
import type { LogStreamHub } from './log-stream.js';

/** What every route handler can use. */
export interface ApiServices {
  store: Store;
  index: CampaignIndex;
  events: EventStreamHub;
  logs: LogStreamHub;
  actions: ActionContext;
  now: () => Date;
}

/** `public`: anyone (the OpenAPI document); `read`: the token unless reads are open; `write`: the token. */
export type Access = 'public' | 'read' | 'write';

export interface RouteInput<Q, B> {
  req: IncomingMessage;
  res: ServerResponse;
  /** The path's `{name}` parts, decoded, in order. */
  params: string[];
  query: Q;
  body: B;
  services: ApiServices;
}

/**
 * One endpoint: its method and path, who may call it, the zod schemas of its query, body and answer,
 * and the handler. The dispatcher validates with the schemas before the handler runs, and the OpenAPI
 * document is generated from the same list — one source for behaviour and documentation.
 */
export interface Route<Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST';
  /** With `{name}` placeholders: `/api/campaigns/{name}`. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  query: Q;
  body?: B;
  /** The JSON answer; absent for a stream (`text/event-stream`). */
  response?: z.ZodType;
  /** 200 for reads, 202 for actions (recorded; applied by the process that runs the campaign). */
  status?: number;
  /** Statuses other than 200/202, 400 and 401 this route answers, with why. */
  errors?: Record<number, string>;
  /** Returns the JSON body; a stream writes `res` itself and returns undefined. */
  handle(input: RouteInput<z.output<Q>, B extends z.ZodType ? z.output<B> : undefined>): Promise<unknown>;
}

/** Keeps each route's query and body types tied to its schemas. */
export function defineRoute<Q extends z.ZodType, B extends z.ZodType>(route: Route<Q, B>): Route {
  return route;
}

/** The path as a regular expression; each placeholder captures one segment. */
export function pathPattern(path: string): RegExp {
  const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[a-z]+\}/g, '([^/]+)');
  return new RegExp(`^${source}/?$`);
}
