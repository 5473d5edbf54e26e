import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { BodyTooLargeError, readBody } from '../hooks/read-body.js';
import { isFlotillaError, type ErrorCode } from '../model/errors.js';

/**
 * A refusal with an HTTP status and a reason a person can act on. Every refusal is decided before
 * anything is written, so a refused request changes nothing.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = { 'bad-input': 400, 'not-found': 404, conflict: 409 };

/** The status and reason for anything a handler threw: our refusals, Flotilla's errors, or a 500. */
export function answerFor(error: unknown): { status: number; reason: string } {
  if (error instanceof ApiError) return { status: error.status, reason: error.reason };
  if (isFlotillaError(error)) {
    const status = STATUS_OF[error.code];
    if (status !== undefined) return { status, reason: error.message };
  }
  return { status: 500, reason: 'internal error: the server log has the details' };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/**
 * Validates a query string against a strict schema. Empty values count as absent (a cleared filter in a
 * form), and a parameter given twice is refused rather than one of them picked silently.
 */
export function parseQuery<T extends z.ZodType>(url: URL, schema: T): z.output<T> {
  const values: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    if (all.length > 1) throw new ApiError(400, `query parameter ${key} is given ${all.length} times; give it once`);
    if (all[0] !== '') values[key] = all[0] ?? '';
  }
  return validate(schema, values, 'query');
}

const MAX_BODY_BYTES = 64 * 1024;

/** Reads and validates a JSON body; an empty body is `{}`. */
export async function parseBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.output<T>> {
  let raw: Buffer;
  try {
    raw = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ApiError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    throw error;
  }
  const text = raw.toString('utf8').trim();
  let value: unknown = {};
  if (text !== '') {
    const type = req.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) throw new ApiError(415, 'send the body as application/json');
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ApiError(400, `the body is not JSON: ${(error as Error).message}`);
    }
  }
  return validate(schema, value, 'body');
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw new ApiError(400, `${where}: unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.join(', ')}`);
  const field = issue?.path.join('.') ?? '';
  throw new ApiError(400, `${where}${field ? ` ${field}` : ''}: ${issue?.message ?? 'invalid'}`);
}
