import { describe, expect, it } from 'vitest';
import { FlotillaError } from '../../model/errors.js';
import { HostRequestError, redactor, withRetry, type HttpFailure } from './host-retry.js';

const NOW = 1_700_000_000_000;

async function attempt(failures: HttpFailure[], maxDelayMs = 100) {
  const waits: number[] = [];
  let calls = 0;
  const run = (): Promise<string> => {
    const failure = failures[calls++];
    return failure ? Promise.reject(Object.assign(new Error(failure.message), failure)) : Promise.resolve('ok');
  };
  const result = await withRetry('read pull request', run, {
    host: 'GitHub',
    policy: { attempts: 3, baseDelayMs: 10, maxDelayMs },
    log: (_level, _message, fields) => waits.push(fields.waitMs as number),
    classify: (error) => error as HttpFailure,
    redact: redactor(['s3cr3t-token']),
    now: () => NOW,
  }).then(
    (value) => value,
    (error: unknown) => error,
  );
  return { result, waits, calls };
}

describe('withRetry', () => {
  it.each([
    ['429 with retry-after', { status: 429, headers: { 'retry-after': '0.05' }, message: 'slow down' }, 50],
    ['403 with a reset time', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 0.04) }, message: 'API rate limit exceeded' }, 40],
    ['GitLab ratelimit-reset', { status: 429, headers: { 'ratelimit-reset': String(NOW / 1000 + 0.03) }, message: 'Retry later' }, 30],
    ['a 502 with no hint (backoff)', { status: 502, headers: {}, message: 'bad gateway' }, 10],
    ['a network failure', { status: undefined, headers: {}, message: 'fetch failed', network: true }, 10],
    ['a wait longer than the cap', { status: 429, headers: { 'retry-after': '3600' }, message: 'later' }, 100],
  ])('retries %s after the wait the host asks for, reported', async (_title, failure, wait) => {
    const { result, waits } = await attempt([failure]);
    expect(result).toBe('ok');
    expect(waits).toEqual([wait]);
  });

  it.each([
    ['a 403 that is not a rate limit', { status: 403, headers: {}, message: 'Resource not accessible' }, 'external', false],
    ['a 404', { status: 404, headers: {}, message: 'Not Found' }, 'not-found', false],
    ['a 422', { status: 422, headers: {}, message: 'Validation Failed' }, 'external', false],
    ['an error that is not an answer', { status: undefined, headers: {}, message: 'bad variable' }, 'external', false],
  ])('does not retry %s', async (_title, failure, code, retryable) => {
    const { result, calls } = await attempt([failure]);
    expect(calls).toBe(1);
    expect(result).toBeInstanceOf(HostRequestError);
    expect(result).toMatchObject({ code, retryable });
  });

  it('fails as a retryable external error when the attempts run out, without the token', async () => {
    const failure = { status: 503, headers: {}, message: 'down for token s3cr3t-token' };
    const { result, calls } = await attempt([failure, failure, failure]);
    expect(calls).toBe(3);
    expect(result).toBeInstanceOf(FlotillaError);
    expect(result).toMatchObject({ code: 'external', retryable: true, status: 503 });
    expect((result as Error).message).toBe('GitHub read pull request failed (503): down for token ***');
  });

  it('says a 401 is the token', async () => {
    const { result } = await attempt([{ status: 401, headers: {}, message: 'Bad credentials' }]);
    expect((result as Error).message).toMatch(/the token was refused/);
  });
});
