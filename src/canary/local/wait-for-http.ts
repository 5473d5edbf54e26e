import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceProcess } from './service-process.js';

export type Readiness = { ready: true; status: number; afterMs: number } | { ready: false; reason: string };

/**
 * Waits until `url` answers with any HTTP status (a 500 is an answer: whether answers are good is the
 * judge's business), polling every 100 ms with a one-second limit per request. Gives up when the service
 * exits (with its last output) or after `timeoutMs` — both are results, not exceptions, because which
 * side failed decides the verdict.
 */
export async function waitForHttp(url: string, service: ServiceProcess, timeoutMs: number, signal: AbortSignal): Promise<Readiness> {
  const started = Date.now();
  let lastError = '';
  while (Date.now() - started < timeoutMs) {
    signal.throwIfAborted();
    const exit = service.exitStatus;
    if (exit) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? '?'}`;
      const output = service.recentOutput();
      return { ready: false, reason: `${how} before answering${output ? `: ${output}` : ''}` };
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(Math.min(1000, timeoutMs))]) });
      await response.arrayBuffer();
      return { ready: true, status: response.status, afterMs: Date.now() - started };
    } catch (error) {
      signal.throwIfAborted();
      lastError = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await sleep(100, undefined, { signal }).catch(() => undefined);
  }
  return { ready: false, reason: `did not answer ${url} within ${Math.round(timeoutMs / 100) / 10}s${lastError ? ` (last error: ${lastError})` : ''}` };
}
