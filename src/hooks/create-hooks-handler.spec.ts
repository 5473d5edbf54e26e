import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHooksHandler, type HookResponse } from './create-hooks-handler.js';
import type { ExternalEvent } from './external-event.js';
import { signGeneric, signGitHub } from './signatures.js';
import { checkSuiteCompleted, ping, pullRequestClosed, pullRequestReviewSubmitted, statusSuccess } from './testing/github-examples.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const SECONDS = NOW.getTime() / 1000;
const secrets = { github: 'gh-secret', generic: 'generic-secret', jenkins: 'jenkins-secret', gitea: 'gitea-secret' };

let server: Server;
let base = '';
let delivered: ExternalEvent[][] = [];
let recorded = new Map<string, string>();
let failDelivery = false;

beforeAll(async () => {
  const handler = createHooksHandler({
    secrets,
    styles: { gitea: 'github' },
    deliver: (events) => {
      if (failDelivery) return Promise.reject(new Error('inbox unavailable'));
      delivered.push(events);
      return Promise.resolve({ matched: events.length });
    },
    deliveries: { seen: (id) => Promise.resolve(recorded.has(id)), record: (id, at) => Promise.resolve(void recorded.set(id, at)) },
    now: () => NOW,
    maxBodyBytes: 4096,
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  delivered = [];
  recorded = new Map();
  failDelivery = false;
});

async function post(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: HookResponse }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.status, body: (await response.json()) as HookResponse };
}

function github(event: string, payload: unknown, delivery = `d-${event}`, secret = secrets.github): [string, Record<string, string>] {
  const body = JSON.stringify(payload);
  return [body, { 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signGitHub(secret, body) }];
}

function generic(payload: unknown, options: { delivery?: string; at?: number; secret?: string } = {}): [string, Record<string, string>] {
  const body = JSON.stringify(payload);
  const at = options.at ?? SECONDS;
  return [body, { 'x-flotilla-delivery': options.delivery ?? 'g-1', 'x-flotilla-timestamp': String(at), 'x-flotilla-signature': signGeneric(options.secret ?? secrets.generic, body, at) }];
}

const approval = { campaign: 'bump-debug', target: 'billing-api', type: 'change.approved', data: { by: 'ana' } };

describe('POST /hooks/{source}', () => {
  it.each([
    ['check_suite', checkSuiteCompleted, 'ci.completed'],
    ['status', statusSuccess, 'ci.completed'],
    ['pull_request', pullRequestClosed, 'change.merged'],
    ['pull_request_review', pullRequestReviewSubmitted, 'change.approved'],
  ])('delivers a signed GitHub %s as %s', async (event, payload, type) => {
    const response = await post('/hooks/github', ...github(event, payload));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, matched: 1, events: [{ source: 'github', type, deliveryId: `d-${event}` }] });
    expect(delivered).toEqual([response.body.events]);
    expect([...recorded.keys()]).toContain(`github:delivery:d-${event}`);
    expect([...recorded.values()]).toEqual([NOW.toISOString(), NOW.toISOString()]);
  });

  it('delivers a generic event, and one from a source configured with the GitHub style', async () => {
    const response = await post('/hooks/generic', ...generic(approval));
    expect(response).toMatchObject({ status: 200, body: { ok: true, matched: 1, events: [{ source: 'generic', type: 'change.approved', campaign: 'bump-debug', target: 'billing-api', data: { by: 'ana' } }] } });
    const gitea = await post('/hooks/gitea', ...github('pull_request', pullRequestClosed, 'x', secrets.gitea));
    expect(gitea.body.events?.[0]).toMatchObject({ source: 'gitea', type: 'change.merged' });
  });

  it('accepts GitHub form-encoded deliveries', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify(pullRequestClosed) }).toString();
    const response = await post('/hooks/github', body, { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'pull_request', 'x-github-delivery': 'f-1', 'x-hub-signature-256': signGitHub(secrets.github, body) });
    expect(response.body.events?.[0]?.type).toBe('change.merged');
  });

  it.each([
    ['a forged GitHub signature', () => post('/hooks/github', ...github('pull_request', pullRequestClosed, 'd', 'guess')), 'X-Hub-Signature-256 does not match the body'],
    ['a missing GitHub signature', () => post('/hooks/github', JSON.stringify(pullRequestClosed), { 'x-github-event': 'pull_request', 'x-github-delivery': 'd' }), 'missing X-Hub-Signature-256 header'],
    ['a body changed after signing', () => {
      const [, headers] = github('pull_request', pullRequestClosed);
      return post('/hooks/github', JSON.stringify({ ...pullRequestClosed, number: 3 }), headers);
    }, 'X-Hub-Signature-256 does not match the body'],
    ['a forged generic signature', () => post('/hooks/generic', ...generic(approval, { secret: secrets.jenkins })), 'X-Flotilla-Signature does not match the body'],
    ['a stale generic timestamp', () => post('/hooks/generic', ...generic(approval, { at: SECONDS - 301 })), 'stale timestamp: 301s from now, more than 300s'],
  ])('refuses %s with 401 and delivers nothing', async (_title, send, reason) => {
    const response = await send();
    expect(response).toEqual({ status: 401, body: { ok: false, reason } });
    expect(delivered).toEqual([]);
    expect(recorded.size).toBe(0);
  });

  it('refuses a replayed delivery with 409, also under a new delivery id', async () => {
    const [body, headers] = generic(approval, { delivery: 'once' });
    expect((await post('/hooks/generic', body, headers)).status).toBe(200);
    expect(await post('/hooks/generic', body, headers)).toEqual({ status: 409, body: { ok: false, reason: 'delivery once was already received (a replay)' } });
    expect((await post('/hooks/generic', body, { ...headers, 'x-flotilla-delivery': 'twice' })).status).toBe(409);
    const [, again] = github('pull_request', pullRequestClosed, 'once');
    expect((await post('/hooks/github', ...github('pull_request', pullRequestClosed, 'once'))).status).toBe(200);
    expect((await post('/hooks/github', JSON.stringify(pullRequestClosed), again)).status).toBe(409);
    expect(delivered).toHaveLength(2);
  });

  it('answers 202 for GitHub events Flotilla does not use, and records them', async () => {
    const response = await post('/hooks/github', ...github('ping', ping, 'p-1'));
    expect(response).toEqual({ status: 202, body: { ok: true, reason: 'ignored: GitHub event "ping" is not used by Flotilla', events: [] } });
    expect(delivered).toEqual([]);
    expect(recorded.has('github:delivery:p-1')).toBe(true);
  });

  it.each([
    ['malformed JSON', () => {
      const body = '{"type": ';
      return post('/hooks/generic', body, { 'x-flotilla-delivery': 'm', 'x-flotilla-timestamp': String(SECONDS), 'x-flotilla-signature': signGeneric(secrets.generic, body, SECONDS) });
    }, 400, 'the body is not valid JSON'],
    ['a missing delivery id', () => {
      const [body, headers] = generic(approval);
      return post('/hooks/generic', body, { ...headers, 'x-flotilla-delivery': '' });
    }, 400, 'missing X-Flotilla-Delivery header'],
    ['a missing GitHub event name', () => {
      const [body, headers] = github('status', statusSuccess);
      return post('/hooks/github', body, { ...headers, 'x-github-event': '' });
    }, 400, 'missing X-GitHub-Event header'],
    ['a malformed known GitHub payload', () => post('/hooks/github', ...github('pull_request', { action: 'closed', repository: { full_name: 'a/b' } })), 422, /^GitHub pull_request payload: pull_request: /],
    ['a malformed generic event', () => post('/hooks/generic', ...generic({ type: 'change.approved', campaign: 'bump-debug' })), 422, 'event: needs campaign and target, or match (branch, commit or repo), to find its run'],
    ['a body over the limit', () => post('/hooks/generic', ...generic({ ...approval, data: { padding: 'x'.repeat(5000) } })), 413, 'body larger than 4096 bytes'],
    ['an unknown source', () => post('/hooks/gitlab', ...generic(approval)), 404, 'no secret is configured for the hook source "gitlab"'],
    ['another path', () => post('/hooks/github/extra', ...generic(approval)), 404, 'not found: hooks are received at POST /hooks/{source}'],
  ])('refuses %s', async (_title, send, status, reason) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body.ok).toBe(false);
    expect(response.body.reason).toMatch(reason);
    expect(delivered).toEqual([]);
    expect(recorded.size).toBe(0);
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const [, headers] = generic(approval);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/hooks/generic`, { method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let chunk = 0; chunk < 5; chunk++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
    expect(delivered).toEqual([]);
  });

  it('refuses other methods with 405', async () => {
    const response = await fetch(`${base}/hooks/github`);
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it('answers 500 when delivery fails and does not record it, so the sender can retry', async () => {
    failDelivery = true;
    const [body, headers] = generic(approval);
    expect(await post('/hooks/generic', body, headers)).toEqual({ status: 500, body: { ok: false, reason: 'the hook could not be received; send it again later' } });
    expect(recorded.size).toBe(0);
    failDelivery = false;
    expect((await post('/hooks/generic', body, headers)).status).toBe(200);
  });
});
