import { FlotillaError } from '../../model/errors.js';

/**
 * Retries of code host API requests. Rate limits (429, or 403 with `x-ratelimit-remaining: 0`, a
 * `retry-after` or a rate-limit message) and server errors (5xx, network failures) are retried after
 * the wait the host asks for (`retry-after` seconds, or until `x-ratelimit-reset`/`ratelimit-reset`),
 * else with exponential backoff, each wait capped; every retry is reported through the log. When the
 * attempts run out the request fails as a retryable `external` error, so the engine's own step retry
 * takes over: a rate limit never crashes a run.
 */

export interface RetryPolicy {
  /** Attempts in all (the first one included). */
  attempts: number;
  baseDelayMs: number;
  /** No single wait is longer, whatever the host asks for. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** Where an adapter reports what it did (a step logger fits); messages are constant, facts are in fields. */
export type HostLog = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;

/** What a failed request said, whatever the client library. */
export interface HttpFailure {
  status: number | undefined;
  headers: Record<string, string | undefined>;
  message: string;
  /** No answer at all (refused, reset): retried like a server error. */
  network?: boolean;
}

/** A request the host refused, with its HTTP status (undefined for network failures). */
export class HostRequestError extends FlotillaError {
  constructor(
    message: string,
    readonly status: number | undefined,
    retryable: boolean,
  ) {
    super(status === 404 ? 'not-found' : 'external', message, { retryable, details: status === undefined ? {} : { status } });
  }
}

export interface RetryOptions {
  host: string;
  policy: RetryPolicy;
  log: HostLog;
  /** Reads any error the client throws. */
  classify: (error: unknown) => HttpFailure;
  /** Removes secrets from a message. */
  redact: (text: string) => string;
  signal?: AbortSignal;
  now?: () => number;
}

export async function withRetry<T>(label: string, run: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (error instanceof FlotillaError) throw error;
      const failure = options.classify(error);
      const kind = retryKind(failure);
      const message = options.redact(`${options.host} ${label} failed${failure.status === undefined ? '' : ` (${failure.status})`}: ${failure.message}`);
      if (!kind || attempt >= options.policy.attempts) throw new HostRequestError(authHint(message, failure.status), failure.status, kind !== undefined);
      const waitMs = waitFor(failure, attempt, options.policy, options.now ?? Date.now);
      options.log('warn', kind === 'rate-limit' ? 'code host rate limit: retrying' : 'code host error: retrying', {
        host: options.host,
        request: label,
        status: failure.status,
        attempt,
        waitMs,
      });
      await sleep(waitMs, options.signal);
    }
  }
}

function retryKind(failure: HttpFailure): 'rate-limit' | 'server' | undefined {
  const { status, headers } = failure;
  if (status === 429) return 'rate-limit';
  if (status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(failure.message))) return 'rate-limit';
  if ((status === undefined && failure.network === true) || (status !== undefined && status >= 500)) return 'server';
  return undefined;
}

function waitFor(failure: HttpFailure, attempt: number, policy: RetryPolicy, now: () => number): number {
  const { headers } = failure;
  let wait = policy.baseDelayMs * 2 ** (attempt - 1);
  const retryAfter = Number(headers['retry-after']);
  const reset = Number(headers['x-ratelimit-reset'] ?? headers['ratelimit-reset']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) wait = retryAfter * 1000;
  else if (Number.isFinite(reset) && reset > 0) wait = reset * 1000 - now();
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(wait)));
}

function authHint(message: string, status: number | undefined): string {
  return status === 401 ? `${message} (the token was refused: check it is set and valid)` : message;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FlotillaError('cancelled', 'the work was cancelled', { cause: signal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(new FlotillaError('cancelled', 'the work was cancelled', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

/** A function that replaces every form of `secrets` (as is, base64 of `user:secret`) with `***`. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.filter((secret) => secret.length >= 4).flatMap((secret) => [secret, encodeURIComponent(secret)]);
  return (text) => forms.reduce((result, form) => result.split(form).join('***'), text);
}

/** fetch's own failures (refused, reset, DNS): the request may not have reached the host. */
export function isNetworkError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return error instanceof TypeError || typeof cause?.code === 'string' || /fetch failed|ECONN|socket hang up/i.test(String(error));
}
