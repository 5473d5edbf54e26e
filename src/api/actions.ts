import { runIdOf } from '../engine/reducer.js';
import type { RunState } from '../model/run.js';
import type { CampaignEvent, CampaignRecord, CampaignStatus, Store } from '../store/store.js';
import type { ActionBody, CampaignActionBody } from './api-requests.js';
import type { ActionResult } from './api-responses.js';
import type { BackgroundReverts } from './background-reverts.js';
import { campaignState } from './campaign-views.js';
import { ApiError } from './http.js';

/** What an action needs: the store, the clock, and who applies what it records. */
export interface ActionContext {
  store: Store;
  now: () => Date;
  /** Told after a change is recorded, so the process that runs campaigns can apply it. */
  changed: (campaign: string) => void;
  appliedBy: string;
  reverts: BackgroundReverts;
}

const SIGNALS = { approve: 'approval.granted', reject: 'approval.rejected' } as const;

/**
 * Approve or reject a run that waits for an approval — the same checks and the same store operation as
 * `flotilla approve`/`reject` (`store.enqueueSignal`): the event waits in the inbox until the process that
 * runs the campaign applies it. Every check comes before the write, so a refused request changes nothing.
 */
export async function signalRun(context: ActionContext, campaign: string, target: string, verb: keyof typeof SIGNALS, body: ActionBody): Promise<ActionResult> {
  const record = await campaignOf(context.store, campaign);
  if (record.status === 'cancelled') throw new ApiError(409, `campaign ${campaign} was cancelled; there is nothing to ${verb}`);
  const run = await runOf(context.store, campaign, target);
  if (run.status === 'done') throw new ApiError(409, `the run of ${target} already ended ${run.outcome ?? ''}; there is nothing to ${verb}`);
  const waiting = Object.entries(run.steps).find(([, step]) => step.status === 'waiting' && step.wait?.types.includes(SIGNALS.approve));
  if (!waiting) throw new ApiError(409, `${target} is not waiting for an approval (it is ${run.status}); the stuck list shows where each run is`);
  const pending = (await context.store.pendingSignals(campaign, 10_000)).find((item) => item.runId === run.runId && Object.values(SIGNALS).includes(item.name as never));
  if (pending) throw new ApiError(409, `${pending.name} for ${target} is already recorded and waits to be applied`);
  const by = body.by ?? 'api';
  await context.store.enqueueSignal({
    campaign,
    runId: run.runId,
    name: SIGNALS[verb],
    data: { ...(body.reason ? { reason: body.reason } : {}), by },
    cause: `flotilla api ${verb} by ${by}`,
    at: context.now().toISOString(),
  });
  context.changed(campaign);
  return { ok: true, what: `${SIGNALS[verb]} recorded for ${target} at step ${waiting[0]}`, appliedBy: context.appliedBy };
}

const NEXT: Record<'pause' | 'resume' | 'cancel', { status: CampaignStatus; event: CampaignEvent['type'] }> = {
  pause: { status: 'paused', event: 'campaign.paused' },
  resume: { status: 'active', event: 'campaign.resumed' },
  cancel: { status: 'cancelled', event: 'campaign.cancelled' },
};

/**
 * Pause, resume or cancel a campaign as the CLI does: `store.setCampaignStatus` and a campaign event
 * (`campaign.paused`, … with who and the status before); the runner of the campaign reads its status on
 * every tick. Resume also restarts a campaign its wave gate or circuit breaker halted. A request that
 * would change nothing (pausing a paused campaign, anything on a campaign whose runs all ended) is 409.
 */
export async function setStatus(context: ActionContext, campaign: string, verb: keyof typeof NEXT, body: CampaignActionBody): Promise<ActionResult> {
  const record = await campaignOf(context.store, campaign);
  const next = NEXT[verb];
  const current = record.status ?? 'active';
  if (current === 'cancelled') throw new ApiError(409, `campaign ${campaign} was cancelled; start a new campaign instead`);
  if (campaignState(record, await context.store.listRuns(campaign)) === 'done') throw new ApiError(409, `every run of campaign ${campaign} has ended; there is nothing to ${verb}`);
  if (verb === 'pause' && current !== 'active') throw new ApiError(409, current === 'paused' ? `campaign ${campaign} is already paused` : `campaign ${campaign} is ${current}: resume or cancel it`);
  if (verb === 'resume' && current === 'active') throw new ApiError(409, `campaign ${campaign} is already running`);
  const at = context.now().toISOString();
  await context.store.setCampaignStatus(campaign, next.status, at);
  await context.store.appendCampaignEvent({ campaign, type: next.event, at, data: { by: body.by ?? 'api', was: current } });
  context.changed(campaign);
  return { ok: true, what: `campaign ${campaign} is ${next.status === 'active' ? 'running' : next.status}`, appliedBy: context.appliedBy };
}

/**
 * Retry is refused with 501: in the engine a finished run ignores every further event (see `reduce`) and
 * no event reopens it, so queueing one would record a request nothing can honour. Unknown names are 404.
 */
export async function retryRun(context: ActionContext, campaign: string, target: string): Promise<never> {
  await campaignOf(context.store, campaign);
  const run = await runOf(context.store, campaign, target);
  if (run.outcome !== 'failed') throw new ApiError(409, `only a failed run can be retried; ${target} is ${run.outcome ?? run.status}`);
  throw new ApiError(
    501,
    'retry is not supported yet: the engine never reopens a finished run (it ignores events after run.completed); run the change again in a new campaign',
  );
}

/**
 * Revert what a campaign merged — every merged target, the ones named, or one run's — with `flotilla
 * revert` (a campaign of its own, `<campaign>-revert`), started in the background. Checked first: the
 * names exist (404) and merged (409), and no revert of this campaign is running here (409).
 */
export async function revert(context: ActionContext, campaign: string, only: readonly string[] | undefined): Promise<ActionResult> {
  await campaignOf(context.store, campaign);
  const runs = await context.store.listRuns(campaign);
  const merged = new Set(runs.filter((run) => run.outcome === 'merged').map((run) => run.target));
  for (const target of only ?? []) {
    if (target.includes(',')) throw new ApiError(409, `${target} cannot be reverted on its own: \`flotilla revert --targets\` separates names with commas; revert the whole campaign instead`);
    const run = runs.find((candidate) => candidate.target === target);
    if (!run) throw new ApiError(404, `campaign ${campaign} has no run for target ${target}`);
    if (!merged.has(target)) throw new ApiError(409, `${target} did not merge (it is ${run.outcome ?? run.status}): there is nothing to revert`);
  }
  if (merged.size === 0) throw new ApiError(409, `campaign ${campaign} merged nothing: there is nothing to revert`);
  if (!context.reverts.reachesStore(context.store.kind)) {
    throw new ApiError(501, 'revert is not available on this server: it runs `flotilla revert`, which needs the database URL (createApiHandler childEnv DATABASE_URL); run `flotilla revert` yourself');
  }
  if (context.reverts.isRunning(campaign)) throw new ApiError(409, `a revert of ${campaign} is already running`);
  context.reverts.start(campaign, only);
  const name = `${campaign}-revert`.slice(0, 100);
  const count = only?.length ?? merged.size;
  return { ok: true, what: `revert of ${count} merged ${count === 1 ? 'target' : 'targets'} started as campaign ${name}`, appliedBy: 'flotilla revert, started by this server', campaign: name };
}

/** The campaign's record, or 404. */
export async function campaignOf(store: Store, name: string): Promise<CampaignRecord> {
  const record = await store.getCampaign(name);
  if (!record) throw new ApiError(404, `no campaign named ${name}`);
  return record;
}

/** The run of `target`, or 404. */
export async function runOf(store: Store, campaign: string, target: string): Promise<RunState> {
  const run = await store.getRun(runIdOf(campaign, target));
  if (!run) throw new ApiError(404, `campaign ${campaign} has no run for target ${target}`);
  return run;
}
