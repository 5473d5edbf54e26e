import type { ActionResult } from '../../src/api/api-responses.js';
import { askForToken, forgetToken, savedToken, saveToken } from './token-store.js';

export type * from '../../src/api/api-responses.js';

/** A refused or failed request, with the server's reason. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'ApiError';
  }
}

/** Request headers with the saved token, if there is one. */
export function authHeaders(): Record<string, string> {
  const token = savedToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

/**
 * A request to the API. On 401 the person is asked for the token (once, whatever the number of requests
 * waiting) and the request is sent again with it; cancelling the dialog fails the request.
 */
async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  for (let asked = 0; ; asked++) {
    const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
    if (response.status === 401) {
      if (asked > 0 || savedToken()) forgetToken();
      const token = await askForToken(asked > 0 ? 'That token was refused. Enter the API token.' : 'This server needs its API token.');
      if (!token) throw new ApiError(401, 'no API token: the server needs one');
      saveToken(token);
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as { reason?: unknown };
    if (!response.ok) throw new ApiError(response.status, typeof body.reason === 'string' ? body.reason : response.statusText);
    return body as T;
  }
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, signal ? { signal } : {});
}

/** Sends an action (approve, pause, …); the answer says what was recorded and who applies it. */
export function postAction(path: string, body: Record<string, unknown> = {}): Promise<ActionResult> {
  return request<ActionResult>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** `/api/…` paths with each name percent-encoded (a target name can be any text). */
export const api = {
  campaigns: (): string => '/api/campaigns',
  campaign: (name: string): string => `/api/campaigns/${encodeURIComponent(name)}`,
  runs: (name: string, query: URLSearchParams): string => `/api/campaigns/${encodeURIComponent(name)}/runs?${query.toString()}`,
  stuck: (name: string, limit: number): string => `/api/campaigns/${encodeURIComponent(name)}/stuck?limit=${limit}`,
  campaignAction: (name: string, verb: string): string => `/api/campaigns/${encodeURIComponent(name)}/${verb}`,
  run: (campaign: string, target: string): string => `/api/runs/${encodeURIComponent(campaign)}/${encodeURIComponent(target)}`,
  runPart: (campaign: string, target: string, part: string): string => `/api/runs/${encodeURIComponent(campaign)}/${encodeURIComponent(target)}/${part}`,
};
