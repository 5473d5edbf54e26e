import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CAMPAIGN, makeGatedFleet, readSse, startApi, storeContents, until, type GatedFleet } from './api-fixture.js';

const RUN = `/api/runs/${CAMPAIGN}`;

/**
 * The actions over a real store. Every refused request is checked to change nothing: the whole store
 * (campaigns, runs, events, inbox) is compared before and after.
 */
describe('the HTTP API: actions', () => {
  describe('recorded for the process that runs the campaign (supervisor mode)', () => {
    let fleet: GatedFleet;
    let api: Awaited<ReturnType<typeof startApi>>;
    const post = (path: string, options: Parameters<typeof call>[3] = {}) => call(api.url, 'POST', path, { body: '{}', ...options });

    beforeAll(async () => {
      fleet = await makeGatedFleet();
      api = await startApi(fleet.state);
    }, 120_000);
    afterAll(() => api.close());

    it('refuses bad requests with 4xx (or 501) and a reason, and changes nothing', async () => {
      const before = await storeContents(api.store);
      const refused: [string, Parameters<typeof call>[3], number, RegExp][] = [
        [`${RUN}/ledger-api/approve`, { token: null }, 401, /Bearer/],
        [`${RUN}/ledger-api/approve`, { token: 'not-the-token-not-the-token' }, 401, /Bearer/],
        [`${RUN}/billing-api/approve`, {}, 409, /already ended merged/],
        [`${RUN}/search-worker/reject`, {}, 409, /already ended failed/],
        [`${RUN}/nobody/approve`, {}, 404, /has no run for target nobody/],
        [`/api/runs/nope/ledger-api/approve`, {}, 404, /no campaign named nope/],
        [`${RUN}/ledger-api/approve`, { body: '{"reason": 5}' }, 400, /body reason/],
        [`${RUN}/ledger-api/approve`, { body: '{"reason": "ok", "force": true}' }, 400, /unknown field force/],
        [`${RUN}/ledger-api/approve`, { body: '{not json' }, 400, /not JSON/],
        [`${RUN}/ledger-api/approve`, { body: '{}', headers: { 'content-type': 'text/plain' } }, 415, /application\/json/],
        [`${RUN}/ledger-api/approve`, { body: JSON.stringify({ reason: 'x'.repeat(70_000) }) }, 413, /larger than/],
        [`${RUN}/search-worker/retry`, {}, 501, /retry is not supported yet/],
        [`${RUN}/billing-api/retry`, {}, 409, /only a failed run can be retried/],
        [`${RUN}/search-worker/revert`, {}, 409, /search-worker did not merge \(it is failed\): there is nothing to revert/],
        [`${RUN}/nobody/revert`, {}, 404, /has no run for target nobody/],
        [`/api/campaigns/${CAMPAIGN}/revert`, { body: '{"targets": []}' }, 400, /targets/],
        [`/api/campaigns/${CAMPAIGN}/revert`, { body: '{"targets": ["ledger-api"]}' }, 409, /ledger-api did not merge \(it is waiting\)/],
        [`/api/campaigns/${CAMPAIGN}/resume`, {}, 409, /already running/],
        [`/api/campaigns/${CAMPAIGN}/pause`, { body: '{"reason": "no"}' }, 400, /unknown field reason/],
        [`/api/campaigns/nope/cancel`, {}, 404, /no campaign named nope/],
        [`${RUN}/ledger-api/approve?now=1`, {}, 400, /unknown field now/],
      ];
      for (const [path, options, status, reason] of refused) {
        const answer = await post(path, options);
        expect(answer.status, `${path} ${JSON.stringify(options)}`).toBe(status);
        expect(answer.body.ok).toBe(false);
        expect(answer.body.reason, path).toMatch(reason);
      }
      expect(await storeContents(api.store)).toBe(before);
    });

    it('rejects a waiting run by queueing approval.rejected with the reason, once', async () => {
      const answer = await post(`${RUN}/ledger-api/reject`, { body: JSON.stringify({ reason: 'not this week', by: 'alice' }) });
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ ok: true, what: 'approval.rejected recorded for ledger-api at step approve' });
      const inbox = await api.store.pendingSignals(CAMPAIGN, 10);
      expect(inbox).toEqual([expect.objectContaining({ runId: `${CAMPAIGN}:ledger-api`, name: 'approval.rejected', data: { reason: 'not this week', by: 'alice' }, cause: 'flotilla api reject by alice' })]);
      const before = await storeContents(api.store);
      const again = await post(`${RUN}/ledger-api/approve`);
      expect(again.status).toBe(409);
      expect(again.body.reason).toMatch(/approval.rejected for ledger-api is already recorded/);
      expect(await storeContents(api.store)).toBe(before);
    });

    it('pauses and resumes a campaign with the store status and the campaign events the CLI writes', async () => {
      expect((await post(`/api/campaigns/${CAMPAIGN}/pause`, { body: '{"by": "alice"}' })).status).toBe(202);
      expect((await api.store.getCampaign(CAMPAIGN))?.status).toBe('paused');
      expect((await api.store.listCampaignEvents(CAMPAIGN)).map((event) => [event.type, event.data])).toEqual([['campaign.paused', { by: 'alice', was: 'active' }]]);
      expect((await call(api.url, 'GET', '/api/campaigns')).body.campaigns).toEqual([expect.objectContaining({ state: 'paused' })]);
      const before = await storeContents(api.store);
      expect((await post(`/api/campaigns/${CAMPAIGN}/pause`)).status).toBe(409);
      expect(await storeContents(api.store)).toBe(before);
      expect((await post(`/api/campaigns/${CAMPAIGN}/resume`)).status).toBe(202);
      expect((await api.store.getCampaign(CAMPAIGN))?.status).toBe('active');
      expect((await api.store.listCampaignEvents(CAMPAIGN)).at(-1)).toMatchObject({ type: 'campaign.resumed', data: { by: 'api', was: 'paused' } });
    });
  });

  describe('applied by the API itself (in-process mode)', () => {
    let fleet: GatedFleet;
    let api: Awaited<ReturnType<typeof startApi>>;

    beforeAll(async () => {
      fleet = await makeGatedFleet();
      api = await startApi(fleet.state, { apply: 'in-process' });
    }, 120_000);
    afterAll(() => api.close());

    it('approves a waiting run: it goes on and merges, and the event stream shows it live', async () => {
      const stream = readSse(`${api.url}/api/events/stream?campaign=${CAMPAIGN}`, (messages) => messages.some((message) => (message.data as { type?: string }).type === 'run.completed'), 60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const answer = await call(api.url, 'POST', `${RUN}/ledger-api/approve`, { body: JSON.stringify({ reason: 'looks good' }) });
      expect(answer.status).toBe(202);
      expect(answer.body.appliedBy).toBe('this server, now');
      const merged = await until('ledger-api to merge', async () => {
        const run = await call(api.url, 'GET', `${RUN}/ledger-api`);
        return run.body.outcome === 'merged' ? run.body : undefined;
      });
      expect(merged).toMatchObject({ status: 'done', actions: { approve: false } });
      const live = (await stream).filter((message) => message.event === 'run-event').map((message) => message.data as { target: string; type: string; summary: string });
      expect(live.map((event) => event.type)).toEqual(expect.arrayContaining(['signal.received', 'step.started', 'step.succeeded', 'run.completed']));
      expect(live.find((event) => event.type === 'signal.received')?.summary).toMatch(/^approval\.granted from flotilla api approve by api/);
      expect(live.every((event) => event.target === 'ledger-api')).toBe(true);

      const done = await call(api.url, 'GET', `/api/campaigns/${CAMPAIGN}`);
      expect(done.body).toMatchObject({ state: 'done', counts: expect.objectContaining({ merged: 4, failed: 1, unfinished: 0 }) as unknown });
      const before = await storeContents(api.store);
      const cancel = await call(api.url, 'POST', `/api/campaigns/${CAMPAIGN}/cancel`, { body: '{}' });
      expect(cancel.status).toBe(409);
      expect(cancel.body.reason).toMatch(/every run of campaign rollout-demo has ended/);
      expect(await storeContents(api.store)).toBe(before);
    }, 90_000);
  });
});
