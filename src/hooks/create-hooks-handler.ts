import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ExternalEvent, MappedPayload } from './external-event.js';
import { mapGenericEvent } from './generic-payload.js';
import { mapGitHubEvent } from './github-payloads.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, readBody } from './read-body.js';
import { verifyGeneric, verifyGitHub, type Verification } from './signatures.js';

/** How a hook source signs and shapes its requests. */
export type HookStyle = 'github' | 'generic';

/** Delivery ids (and signatures) already accepted, so a replayed request is refused. */
export interface DeliveryLog {
  seen(id: string): Promise<boolean>;
  record(id: string, at: string): Promise<void>;
}

export interface HooksHandlerOptions {
  /** Hook source name → its shared secret. A source without a secret is refused. */
  secrets: Record<string, string>;
  /** Source name → style; default `github` for the source `github`, `generic` for every other. */
  styles?: Record<string, HookStyle>;
  /** Hands the events to the engine (its inbox); `matched` = how many runs they reached. */
  deliver: (events: ExternalEvent[]) => Promise<{ matched: number }>;
  deliveries: DeliveryLog;
  now: () => Date;
  /** Larger bodies are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
}

/** The JSON body of every answer. */
export interface HookResponse {
  ok: boolean;
  reason?: string;
  events?: ExternalEvent[];
  matched?: number;
}

interface Answer {
  status: number;
  body: HookResponse;
}

const PATH = /^\/hooks\/([^/]+)\/?$/;

/**
 * The handler for `POST /hooks/{source}`. A request is checked in this order, and nothing is delivered
 * unless every check passes: the source has a secret (404), the body fits (413), the signature is valid
 * and, for the generic style, fresh (401), a delivery id is present (400), it was not accepted before
 * (409), the body is JSON (400), the payload is of a kind Flotilla uses (202 "ignored" otherwise) and
 * well-formed (422). Then the events are delivered (500 if that fails, so the sender retries) and the
 * delivery is recorded — after delivering, so a failed delivery can be sent again.
 *
 * Replay keys are the delivery id and the signature itself: neither style signs the delivery id, so a
 * captured request sent again under a new id is still refused.
 */
export function createHooksHandler(options: HooksHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const inFlight = new Set<string>();
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const receive = async (req: IncomingMessage): Promise<Answer> => {
    const source = sourceOf(req.url);
    if (source === undefined) return fail(404, 'not found: hooks are received at POST /hooks/{source}');
    if (req.method !== 'POST') return fail(405, 'hooks are received with POST');
    const secret = options.secrets[source];
    if (!secret) return fail(404, `no secret is configured for the hook source "${source}"`);
    const style = options.styles?.[source] ?? (source === 'github' ? 'github' : 'generic');

    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return fail(413, error.message);
      throw error;
    }
    const headers = req.headers;
    const verified = verify(style, secret, body, headers, options.now());
    if (!verified.ok) return fail(401, verified.reason);
    const deliveryId = header(headers, style === 'github' ? 'x-github-delivery' : 'x-flotilla-delivery');
    if (!deliveryId) return fail(400, `missing ${style === 'github' ? 'X-GitHub-Delivery' : 'X-Flotilla-Delivery'} header`);
    const event = style === 'github' ? header(headers, 'x-github-event') : undefined;
    if (style === 'github' && !event) return fail(400, 'missing X-GitHub-Event header');

    const signature = header(headers, style === 'github' ? 'x-hub-signature-256' : 'x-flotilla-signature') ?? '';
    const keys = [`${source}:delivery:${deliveryId}`, `${source}:${signature.trim().toLowerCase()}`];
    if (keys.some((key) => inFlight.has(key))) return fail(409, `delivery ${deliveryId} is already being received`);
    for (const key of keys) inFlight.add(key);
    try {
      for (const key of keys) {
        if (await options.deliveries.seen(key)) return fail(409, `delivery ${deliveryId} was already received (a replay)`);
      }
      const payload = parsePayload(body, header(headers, 'content-type'));
      if (payload === undefined) return fail(400, 'the body is not valid JSON');
      const mapped: MappedPayload = style === 'github' ? mapGitHubEvent(payload, { event: event ?? '', deliveryId, source }) : mapGenericEvent(payload, { deliveryId, source });
      if (mapped.kind === 'malformed') return fail(422, mapped.reason);
      let answer: Answer;
      if (mapped.kind === 'ignored') answer = { status: 202, body: { ok: true, reason: `ignored: ${mapped.reason}`, events: [] } };
      else {
        const { matched } = await options.deliver(mapped.events);
        answer = { status: 200, body: { ok: true, events: mapped.events, matched } };
      }
      const at = options.now().toISOString();
      for (const key of keys) await options.deliveries.record(key, at);
      return answer;
    } finally {
      for (const key of keys) inFlight.delete(key);
    }
  };

  return async (req, res) => {
    let answer: Answer;
    try {
      answer = await receive(req);
    } catch {
      // The sender learns only that it should retry; the engine's own logs have the cause.
      answer = fail(500, 'the hook could not be received; send it again later');
    }
    respond(res, answer);
  };
}

function verify(style: HookStyle, secret: string, body: Buffer, headers: IncomingHttpHeaders, now: Date): Verification {
  if (style === 'github') return verifyGitHub(secret, body, header(headers, 'x-hub-signature-256'));
  return verifyGeneric(secret, body, header(headers, 'x-flotilla-signature'), header(headers, 'x-flotilla-timestamp'), now);
}

/** GitHub may be set to send `application/x-www-form-urlencoded` with the JSON in `payload`. */
function parsePayload(body: Buffer, contentType: string | undefined): unknown {
  let text = body.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return undefined;
    text = payload;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sourceOf(url: string | undefined): string | undefined {
  const pathname = new URL(url ?? '/', 'http://hooks.invalid').pathname;
  const found = PATH.exec(pathname)?.[1];
  if (found === undefined) return undefined;
  try {
    return decodeURIComponent(found);
  } catch {
    return undefined;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

function fail(status: number, reason: string): Answer {
  return { status, body: { ok: false, reason } };
}

function respond(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) return void res.end();
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (answer.status === 405) headers.allow = 'POST';
  // After a refused oversized body, the rest of it is not worth reading on this connection.
  if (answer.status === 413) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(JSON.stringify(answer.body));
}
