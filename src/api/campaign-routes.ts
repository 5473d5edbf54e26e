import { z } from 'zod';
import { campaignActionBodySchema, emptySchema, revertBodySchema, runsQuerySchema, stuckQuerySchema } from './api-requests.js';
import { actionResultSchema, campaignDetailSchema, campaignSummarySchema, runPageSchema, stuckPageSchema, type CampaignSummary, type StuckPage, type StuckRun } from './api-responses.js';
import { campaignOf, revert, setStatus } from './actions.js';
import { campaignDetail, campaignSummary } from './campaign-views.js';
import { defineRoute, type Route } from './route.js';
import { campaignContext, runContextOf } from './rollout-view.js';
import { pageRuns } from './run-rows.js';
import { stuckReason } from './stuck-reason.js';

const campaignAction = (verb: 'pause' | 'resume' | 'cancel', summary: string): Route =>
  defineRoute({
    method: 'POST',
    path: `/api/campaigns/{name}/${verb}`,
    summary,
    description: 'Sets the campaign status and appends a campaign event, as the CLI does; the process that runs the campaign applies it.',
    access: 'write',
    query: emptySchema,
    body: campaignActionBodySchema,
    response: actionResultSchema,
    status: 202,
    errors: { 404: 'no such campaign', 409: 'the campaign is already so, was cancelled, or every run ended' },
    handle: ({ params, body, services }) => setStatus(services.actions, params[0] ?? '', verb, body),
  });

/** The campaign endpoints: the list, one campaign, its runs, why runs are stuck, and its actions. */
export const CAMPAIGN_ROUTES: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: '/api/campaigns',
    summary: 'Every campaign: progress, counts per outcome, state and how many runs wait',
    access: 'read',
    query: emptySchema,
    response: z.object({ campaigns: z.array(campaignSummarySchema) }),
    async handle({ services }) {
      const campaigns: CampaignSummary[] = [];
      for (const record of await services.store.listCampaigns()) campaigns.push(campaignSummary(record, await services.index.snapshot(record.name)));
      return { campaigns };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/campaigns/{name}',
    summary: 'One campaign: its summary, the burndown (open vs landed over time), filter values, and its waves and halts',
    access: 'read',
    query: emptySchema,
    response: campaignDetailSchema,
    errors: { 404: 'no such campaign' },
    async handle({ params, services }) {
      const record = await campaignOf(services.store, params[0] ?? '');
      const snapshot = await services.index.snapshot(record.name);
      return campaignDetail(record, snapshot, await campaignContext(services.store, record, snapshot), services.now());
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/campaigns/{name}/runs',
    summary: "The campaign's runs, filtered and paged on the server (sorted by target)",
    access: 'read',
    query: runsQuerySchema,
    response: runPageSchema,
    errors: { 404: 'no such campaign' },
    async handle({ params, query, services }) {
      const record = await campaignOf(services.store, params[0] ?? '');
      const snapshot = await services.index.snapshot(record.name);
      return pageRuns(snapshot, query, await campaignContext(services.store, record, snapshot), services.now());
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/campaigns/{name}/stuck',
    summary: 'Why is this stuck: every run that has not landed and is not skipped, with the reason in words',
    description: 'Unfinished runs (waiting, running, retrying, queued) and runs that ended failed or needing a human; longest stuck first.',
    access: 'read',
    query: stuckQuerySchema,
    response: stuckPageSchema,
    errors: { 404: 'no such campaign' },
    async handle({ params, query, services }): Promise<StuckPage> {
      const record = await campaignOf(services.store, params[0] ?? '');
      const now = services.now();
      const snapshot = await services.index.snapshot(record.name);
      const context = await campaignContext(services.store, record, snapshot);
      const stuck: StuckRun[] = [];
      const kinds: Record<string, number> = {};
      for (const run of snapshot.runs) {
        const reason = stuckReason(run, runContextOf(context, run.target), now);
        if (!reason) continue;
        stuck.push(reason);
        kinds[reason.kind] = (kinds[reason.kind] ?? 0) + 1;
      }
      stuck.sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
      return { total: stuck.length, kinds, offset: query.offset, limit: query.limit, runs: stuck.slice(query.offset, query.offset + query.limit) };
    },
  }),
  campaignAction('pause', 'Pause a campaign: no new step starts; running steps finish'),
  campaignAction('resume', 'Resume a paused campaign, or one its wave gate or circuit breaker halted'),
  campaignAction('cancel', 'Cancel a campaign: every unfinished run ends cancelled'),
  defineRoute({
    method: 'POST',
    path: '/api/campaigns/{name}/revert',
    summary: 'Revert what the campaign merged (all, or `targets`): starts the campaign `<name>-revert`, as `flotilla revert` does',
    access: 'write',
    query: emptySchema,
    body: revertBodySchema,
    response: actionResultSchema,
    status: 202,
    errors: { 404: 'no such campaign or target', 409: 'nothing merged to revert, or a revert of it is already running', 501: 'a PostgreSQL server that gave the API no database URL for flotilla revert' },
    handle: ({ params, body, services }) => revert(services.actions, params[0] ?? '', body.targets),
  }),
];
