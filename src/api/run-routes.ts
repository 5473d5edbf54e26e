import { z } from 'zod';
import { actionBodySchema, emptySchema, eventStreamQuerySchema, logStreamQuerySchema, logsQuerySchema, runEventsQuerySchema } from './api-requests.js';
import { actionResultSchema, eventViewSchema, logLineSchema, runDetailSchema } from './api-responses.js';
import { campaignOf, retryRun, revert, runOf, signalRun } from './actions.js';
import { campaignState } from './campaign-views.js';
import { ApiError } from './http.js';
import { campaignContext, runContextOf } from './rollout-view.js';
import { defineRoute, type Route, type RouteInput } from './route.js';
import { eventView, runDetail } from './run-detail.js';

const RUN = '/api/runs/{campaign}/{target}';

/** The run a `/api/runs/{campaign}/{target}` path names, or 404. */
async function runAt(input: RouteInput<unknown, unknown>) {
  const [campaign = '', target = ''] = input.params;
  const record = await campaignOf(input.services.store, campaign);
  return { record, run: await runOf(input.services.store, campaign, target) };
}

const signal = (verb: 'approve' | 'reject', summary: string): Route =>
  defineRoute({
    method: 'POST',
    path: `${RUN}/${verb}`,
    summary,
    description: 'Queues the event in the store inbox as `flotilla ' + verb + '` does; the process that runs the campaign applies it.',
    access: 'write',
    query: emptySchema,
    body: actionBodySchema,
    response: actionResultSchema,
    status: 202,
    errors: { 404: 'no such campaign or run', 409: 'the run is not waiting for an approval, has ended, or one is already queued' },
    handle: ({ params, body, services }) => signalRun(services.actions, params[0] ?? '', params[1] ?? '', verb, body),
  });

/** The run endpoints (state, events, logs, actions) and the live event stream. */
export const RUN_ROUTES: readonly Route[] = [
  defineRoute({
    method: 'GET',
    path: RUN,
    summary: "One run: state, each step's status and duration, why it is stuck, and the confidence, compliance and canary reports",
    access: 'read',
    query: emptySchema,
    response: runDetailSchema,
    errors: { 404: 'no such campaign or run' },
    async handle(input) {
      const { record, run } = await runAt(input);
      const { store, index, now } = input.services;
      const snapshot = await index.snapshot(record.name);
      return runDetail({
        run,
        events: await store.listEvents({ runId: run.runId }),
        target: snapshot.target(run.runId),
        context: runContextOf(await campaignContext(store, record, snapshot), run.target),
        campaignState: campaignState(record, snapshot.runs),
        now: now(),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${RUN}/events`,
    summary: "The run's events, oldest first",
    access: 'read',
    query: runEventsQuerySchema,
    response: z.object({ events: z.array(eventViewSchema) }),
    errors: { 404: 'no such campaign or run' },
    async handle(input) {
      const { run } = await runAt(input);
      const events = await input.services.store.listEvents({ runId: run.runId, limit: input.query.limit, ...(input.query.after === undefined ? {} : { afterSeq: input.query.after }) });
      return { events: events.map(eventView) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${RUN}/logs`,
    summary: "The run's step logs (secrets redacted when they were written)",
    access: 'read',
    query: logsQuerySchema,
    response: z.object({ lines: z.array(logLineSchema) }),
    errors: { 404: 'no such campaign, run or step' },
    async handle(input) {
      const { run } = await runAt(input);
      const step = input.query.step;
      if (step !== undefined && !(step in run.steps)) throw new ApiError(404, `the run has no step ${step}; its steps are ${Object.keys(run.steps).join(', ')}`);
      const lines = await input.services.store.readLogs(run.runId, step);
      return { lines: lines.map((line) => ({ step: line.step, attempt: line.attempt, at: line.at, text: line.text })) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${RUN}/logs/stream`,
    summary: "A step's log, live (server-sent events: `log` messages, then `end` when the run has ended)",
    access: 'read',
    query: logStreamQuerySchema,
    errors: { 404: 'no such campaign, run or step' },
    async handle(input) {
      const { run } = await runAt(input);
      if (!(input.query.step in run.steps)) throw new ApiError(404, `the run has no step ${input.query.step}; its steps are ${Object.keys(run.steps).join(', ')}`);
      input.services.logs.open(input.req, input.res, run.runId, input.query.step);
      return undefined;
    },
  }),
  signal('approve', 'Approve a run that waits for an approval'),
  signal('reject', 'Reject a run that waits for an approval (it fails with the reason)'),
  defineRoute({
    method: 'POST',
    path: `${RUN}/retry`,
    summary: 'Retry a failed run (501: the engine cannot reopen a finished run yet)',
    access: 'write',
    query: emptySchema,
    body: actionBodySchema,
    errors: { 404: 'no such campaign or run', 409: 'the run did not fail', 501: 'not supported by the engine yet' },
    handle: ({ params, services }) => retryRun(services.actions, params[0] ?? '', params[1] ?? ''),
  }),
  defineRoute({
    method: 'POST',
    path: `${RUN}/revert`,
    summary: "Revert this run's merged change: starts the campaign `<campaign>-revert` for this target",
    access: 'write',
    query: emptySchema,
    body: actionBodySchema,
    response: actionResultSchema,
    status: 202,
    errors: { 404: 'no such campaign or run', 409: 'the run did not merge, or a revert of the campaign is already running', 501: 'a PostgreSQL server that gave the API no database URL for flotilla revert' },
    handle: ({ params, services }) => revert(services.actions, params[0] ?? '', [params[1] ?? '']),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/events/stream',
    summary: 'Every new run and campaign event, live (server-sent events: `ready`, then `run-event` (`id` = its sequence number) and `campaign-event` messages)',
    access: 'read',
    query: eventStreamQuerySchema,
    errors: { 404: 'no such campaign' },
    async handle({ req, res, query, services }) {
      if (query.campaign !== undefined) await campaignOf(services.store, query.campaign);
      const header = req.headers['last-event-id'];
      const lastId = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      await services.events.open(req, res, query.campaign, lastId ?? query.after);
      return undefined;
    },
  }),
];
