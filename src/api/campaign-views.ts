import { countOutcomes } from '../cli/summary.js';
import type { RunState } from '../model/run.js';
import type { CampaignRecord } from '../store/store.js';
import type { CampaignDetail, CampaignState, CampaignSummary } from './api-responses.js';
import { burndown } from './burndown.js';
import type { CampaignSnapshot } from './campaign-index.js';
import { rolloutView, type CampaignContext } from './rollout-view.js';
import { facets } from './run-rows.js';

/** `cancelled`, `paused` and `halted` as a person or the rollout set them; otherwise `done` once every run ended. */
export function campaignState(record: CampaignRecord, runs: readonly RunState[]): CampaignState {
  if (record.status === 'cancelled') return 'cancelled';
  if (runs.length > 0 && runs.every((run) => run.status === 'done')) return 'done';
  if (record.status === 'paused' || record.status === 'halted') return record.status;
  return 'running';
}

/** A line of the campaigns list: progress, counts per outcome (as `flotilla status` counts them) and state. */
export function campaignSummary(record: CampaignRecord, snapshot: CampaignSnapshot): CampaignSummary {
  const runs = snapshot.runs;
  const finished = runs.filter((run) => run.status === 'done').length;
  const spec = (record.spec ?? {}) as { description?: unknown };
  return {
    name: record.name,
    description: typeof spec.description === 'string' ? spec.description : null,
    state: campaignState(record, runs),
    total: runs.length,
    finished,
    waiting: runs.filter((run) => run.status === 'waiting').length,
    progress: runs.length === 0 ? 0 : finished / runs.length,
    counts: countOutcomes(runs),
    createdAt: record.createdAt,
    updatedAt: latest(record.updatedAt, runs),
  };
}

/** The campaign page: the summary plus the burndown, the filters' values, and the waves. */
export function campaignDetail(record: CampaignRecord, snapshot: CampaignSnapshot, context: CampaignContext, now: Date): CampaignDetail {
  const summary = campaignSummary(record, snapshot);
  let lastEnd = 0;
  for (const completion of snapshot.completed) lastEnd = Math.max(lastEnd, completion.at);
  const end = summary.state === 'done' || summary.state === 'cancelled' ? lastEnd : now.getTime();
  return {
    ...summary,
    burndown: burndown(snapshot.created, snapshot.completed, end),
    facets: facets(snapshot),
    rollout: rolloutView(context, snapshot),
    seq: snapshot.seq,
  };
}

function latest(updatedAt: string, runs: readonly RunState[]): string {
  let newest = updatedAt;
  for (const run of runs) if (run.updatedAt > newest) newest = run.updatedAt;
  return newest;
}
