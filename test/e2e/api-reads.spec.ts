import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CAMPAIGN, makeGatedFleet, readSse, SCRIPT_TARGET, startApi, storeContents, type GatedFleet } from './api-fixture.js';

type Json = Record<string, unknown>;
const enc = encodeURIComponent;

/**
 * The read endpoints over a real store: a real campaign run by the CLI (three merged, one failed at
 * `test`, one waiting for an approval, one target named `<script>alert(1)</script>`), served in this
 * process on 127.0.0.1:0.
 */
describe('the HTTP API: reads', () => {
  let fleet: GatedFleet;
  let api: Awaited<ReturnType<typeof startApi>>;
  const get = (path: string, token?: string | null) => call(api.url, 'GET', path, token === undefined ? {} : { token });

  beforeAll(async () => {
    fleet = await makeGatedFleet();
    expect(fleet.first.code, fleet.first.stderr).toBe(1);
    api = await startApi(fleet.state);
  }, 120_000);
  afterAll(() => api.close());

  it('refuses every read without the token, or with a wrong one (401), and serves the OpenAPI document to anyone', async () => {
    const paths = [
      '/api/campaigns',
      `/api/campaigns/${CAMPAIGN}`,
      `/api/campaigns/${CAMPAIGN}/runs`,
      `/api/campaigns/${CAMPAIGN}/stuck`,
      `/api/runs/${CAMPAIGN}/ledger-api`,
      `/api/runs/${CAMPAIGN}/ledger-api/events`,
      `/api/runs/${CAMPAIGN}/ledger-api/logs`,
      `/api/runs/${CAMPAIGN}/ledger-api/logs/stream?step=test`,
      `/api/events/stream?campaign=${CAMPAIGN}`,
    ];
    for (const path of paths) {
      for (const token of [null, 'wrong-token-wrong-token']) {
        const answer = await get(path, token);
        expect(answer.status, path).toBe(401);
        expect(answer.body).toMatchObject({ ok: false, reason: expect.stringMatching(/Authorization: Bearer/) as unknown });
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      }
    }
    expect((await get('/api/openapi.json', null)).status).toBe(200);
  });

  it('lists campaigns with progress, outcome counts, state and waiting runs', async () => {
    const { status, body } = await get('/api/campaigns');
    expect(status).toBe(200);
    expect(body.campaigns).toEqual([
      expect.objectContaining({ name: CAMPAIGN, state: 'running', total: 5, finished: 4, waiting: 1, progress: 0.8, counts: expect.objectContaining({ merged: 3, failed: 1, unfinished: 1 }) as unknown }),
    ]);
  });

  it('shows one campaign with a burndown computed from run events, filter values and no waves', async () => {
    const { status, body } = await get(`/api/campaigns/${CAMPAIGN}`);
    expect(status).toBe(200);
    const points = (body.burndown as { points: { open: number; landed: number; closed: number }[] }).points;
    expect(points.length).toBeGreaterThan(1);
    expect(points.length).toBeLessThanOrEqual(60);
    expect(points.at(-1)).toMatchObject({ open: 1, landed: 3, closed: 1 });
    expect(Math.max(...points.map((point) => point.open))).toBe(5);
    expect(body.facets).toEqual({ owners: ['team-data', 'team-growth', 'team-payments', 'team-storefront'], tiers: [0, 2, 3], steps: ['checkout', 'edit', 'test', 'approve', 'open', 'merge'] });
    expect(body.rollout).toEqual({ spec: null, waves: [], halted: null, events: [] });
    expect((await get('/api/campaigns/nope')).body).toEqual({ ok: false, reason: 'no campaign named nope' });
  });

  it('pages and filters runs on the server, with the total', async () => {
    const targets = async (query: string): Promise<string[]> => {
      const { status, body } = await get(`/api/campaigns/${CAMPAIGN}/runs?${query}`);
      expect(status, query).toBe(200);
      return (body.runs as { target: string }[]).map((run) => run.target);
    };
    expect(await targets('')).toEqual([SCRIPT_TARGET, 'billing-api', 'catalog-web', 'ledger-api', 'search-worker']);
    expect(await targets('outcome=failed')).toEqual(['search-worker']);
    expect(await targets('outcome=unfinished')).toEqual(['ledger-api']);
    expect(await targets('owner=team-payments')).toEqual(['billing-api', 'ledger-api']);
    expect(await targets('tier=0&outcome=merged')).toEqual(['billing-api']);
    expect(await targets('step=approve')).toEqual(['ledger-api']);
    expect(await targets('step=test')).toEqual(['search-worker']);
    expect(await targets('status=waiting')).toEqual(['ledger-api']);
    expect(await targets(`q=${enc('<SCRIPT>')}`)).toEqual([SCRIPT_TARGET]);
    expect(await targets('q=team-sre')).toEqual(['ledger-api']);
    const page = await get(`/api/campaigns/${CAMPAIGN}/runs?offset=1&limit=2`);
    expect(page.body).toMatchObject({ total: 5, offset: 1, limit: 2 });
    expect((page.body.runs as Json[]).map((run) => run.target)).toEqual(['billing-api', 'catalog-web']);
    const failed = (await get(`/api/campaigns/${CAMPAIGN}/runs?outcome=failed`)).body.runs as Json[];
    expect(failed[0]).toMatchObject({ owner: 'team-data', tier: 3, step: 'test', status: 'done', detail: expect.stringMatching(/not ok 1 - the service is broken/) as unknown });
  });

  it('refuses bad queries with 400 and a reason that names the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['tier=9', /tier/],
      ['tier=high', /tier/],
      ['limit=0', /limit/],
      ['limit=5000', /limit/],
      ['offset=-1', /offset/],
      ['outcome=exploded', /outcome/],
      ['status=sleeping', /status/],
      ['colour=red', /unknown field colour/],
      ['owner=a&owner=b', /owner is given 2 times/],
    ];
    for (const [query, reason] of cases) {
      const { status, body } = await get(`/api/campaigns/${CAMPAIGN}/runs?${query}`);
      expect(status, query).toBe(400);
      expect(body.ok).toBe(false);
      expect(body.reason, query).toMatch(reason);
    }
    expect((await get(`/api/campaigns/${CAMPAIGN}/stuck?limit=abc`)).status).toBe(400);
    expect((await get(`/api/runs/${CAMPAIGN}/ledger-api/events?after=x`)).status).toBe(400);
    expect((await get('/api/campaigns/%E0%A4%A')).status).toBe(400);
    expect((await call(api.url, 'DELETE', '/api/campaigns')).status).toBe(405);
    expect((await get('/api/nothing-here')).status).toBe(404);
  });

  it('says why each unfinished or failed run is stuck', async () => {
    const { status, body } = await get(`/api/campaigns/${CAMPAIGN}/stuck`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 2, kinds: { failed: 1, 'needs-approval': 1 } });
    const runs = body.runs as { target: string; kind: string; reason: string; step: string; since: string }[];
    expect(runs.find((run) => run.target === 'ledger-api')).toMatchObject({ kind: 'needs-approval', step: 'approve', reason: expect.stringMatching(/^needs approval from team-sre for /) as unknown });
    expect(runs.find((run) => run.target === 'search-worker')).toMatchObject({ kind: 'failed', step: 'test', reason: expect.stringMatching(/^failed at step test: .*not ok 1 - the service is broken$/) as unknown });
    expect(runs.every((run) => !Number.isNaN(Date.parse(run.since)))).toBe(true);
  });

  it('shows a run: steps with status and duration, why it waits, and which actions apply', async () => {
    const { status, body } = await get(`/api/runs/${CAMPAIGN}/ledger-api`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ target: 'ledger-api', status: 'waiting', owner: 'team-payments', tier: 0, actions: { approve: true, reject: true, retry: false, revert: false }, wave: null, campaignState: 'running' });
    const steps = body.steps as { id: string; status: string; durationMs: number | null }[];
    expect(steps.map((step) => [step.id, step.status])).toEqual([['checkout', 'succeeded'], ['edit', 'succeeded'], ['test', 'succeeded'], ['approve', 'waiting'], ['open', 'pending'], ['merge', 'pending']]);
    expect(steps[0]?.durationMs).toBeGreaterThan(0);
    expect(body.reports).toEqual({ confidence: [], compliance: [], canary: [] });
    const odd = await get(`/api/runs/${CAMPAIGN}/${enc(SCRIPT_TARGET)}`);
    expect(odd.body).toMatchObject({ target: SCRIPT_TARGET, outcome: 'merged', actions: { approve: false, revert: true } });
    expect((await get(`/api/runs/${CAMPAIGN}/nobody`)).body).toEqual({ ok: false, reason: `campaign ${CAMPAIGN} has no run for target nobody` });
  });

  it("lists a run's events and its logs", async () => {
    const events = (await get(`/api/runs/${CAMPAIGN}/ledger-api/events`)).body.events as { seq: number; type: string; summary: string }[];
    expect(events[0]?.type).toBe('run.created');
    expect(events.at(-1)).toMatchObject({ type: 'step.waiting', summary: 'approve waits: approval from team-sre' });
    const after = (await get(`/api/runs/${CAMPAIGN}/ledger-api/events?after=${events[1]?.seq ?? 0}&limit=2`)).body.events as { seq: number }[];
    expect(after.map((event) => event.seq)).toEqual(events.slice(2, 4).map((event) => event.seq));
    const logs = await get(`/api/runs/${CAMPAIGN}/search-worker/logs?step=test`);
    expect((logs.body.lines as { text: string }[]).map((line) => line.text).join('\n')).toContain('not ok 1 - the service is broken');
    expect((await get(`/api/runs/${CAMPAIGN}/search-worker/logs?step=tset`)).body.reason).toMatch(/has no step tset; its steps are checkout, edit, test/);
  });

  it('streams a finished step log to its end, and replays missed events on the event stream', async () => {
    const log = await readSse(`${api.url}/api/runs/${CAMPAIGN}/search-worker/logs/stream?step=test`, (messages) => messages.some((message) => message.event === 'end'));
    expect(log.map((message) => message.event)).toEqual(['log', 'end']);
    expect(JSON.stringify(log[0]?.data)).toContain('not ok 1 - the service is broken');
    const all = (await get(`/api/runs/${CAMPAIGN}/ledger-api/events`)).body.events as { seq: number }[];
    const from = all[2]?.seq ?? 0;
    const replayed = await readSse(`${api.url}/api/events/stream?campaign=${CAMPAIGN}`, (messages) => messages.some((message) => message.event === 'ready'), 10_000, { 'last-event-id': String(from) });
    const events = replayed.filter((message) => message.event === 'run-event').map((message) => message.data as { seq: number; campaign: string });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((event) => event.seq > from && event.campaign === CAMPAIGN)).toBe(true);
    expect(replayed.at(-1)?.event).toBe('ready');
    expect((await get('/api/events/stream?campaign=nope')).status).toBe(404);
  });

  it('publishes an OpenAPI document generated from the request schemas', async () => {
    const { body } = await get('/api/openapi.json', null);
    expect(body.openapi).toBe('3.1.0');
    const paths = body.paths as Record<string, Record<string, { parameters: { name: string; in: string; schema: Json }[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/campaigns', '/api/campaigns/{name}/runs', '/api/campaigns/{name}/stuck', '/api/runs/{campaign}/{target}/approve', '/api/events/stream']));
    const runs = paths['/api/campaigns/{name}/runs']?.get;
    expect(runs?.parameters.find((parameter) => parameter.name === 'tier')?.schema).toMatchObject({ type: 'integer', minimum: 0, maximum: 3 });
    expect(runs?.parameters.find((parameter) => parameter.name === 'outcome')?.schema.enum).toContain('unfinished');
    expect(paths['/api/runs/{campaign}/{target}/approve']?.post?.responses).toHaveProperty('409');
    expect(paths['/api/runs/{campaign}/{target}/retry']?.post?.responses).toHaveProperty('501');
    expect(paths['/api/campaigns/{name}/revert']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { targets: { type: 'array' } } } } } });
  });

  it('answers reads without the token when reads are open, but never actions', async () => {
    const open = await startApi(fleet.state, { openReads: true });
    try {
      const before = await storeContents(open.store);
      expect((await call(open.url, 'GET', '/api/campaigns', { token: null })).status).toBe(200);
      expect((await call(open.url, 'POST', `/api/runs/${CAMPAIGN}/ledger-api/approve`, { token: null, body: '{}' })).status).toBe(401);
      expect(await storeContents(open.store)).toBe(before);
    } finally {
      await open.close();
    }
  });
});
