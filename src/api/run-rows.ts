import type { RunState } from '../model/run.js';
import type { RunsQuery } from './api-requests.js';
import type { RunPage, RunRow } from './api-responses.js';
import type { CampaignSnapshot } from './campaign-index.js';
import { runContextOf, type CampaignContext } from './rollout-view.js';
import { firstLine, stuckReason, type RunContext } from './stuck-reason.js';

/** One line of a campaign's targets list: enough to filter, sort and decide where to click. */
export function runRow(run: RunState, owner: string | undefined, tier: number | undefined, context: RunContext, now: Date): RunRow {
  return {
    target: run.target,
    status: run.status,
    outcome: run.outcome ?? null,
    owner: owner ?? null,
    tier: tier ?? null,
    step: currentStep(run) ?? null,
    detail: run.status === 'done' ? firstLine(run.reasons[0] ?? '') : (stuckReason(run, context, now)?.reason ?? run.status),
    updatedAt: run.updatedAt,
  };
}

/** The step a run is at (running, waiting, retrying, about to start), or the one it failed at. */
export function currentStep(run: RunState): string | undefined {
  if (run.status === 'done') return run.failedStep;
  const steps = Object.entries(run.steps);
  for (const status of ['running', 'waiting', 'retrying', 'ready'] as const) {
    const found = steps.find(([, step]) => step.status === status);
    if (found) return found[0];
  }
  return undefined;
}

/**
 * Filters and pages a campaign's runs on the server: the browser only ever holds the page it shows, and
 * `total` tells it how long the (virtual) list is.
 */
export function pageRuns(snapshot: CampaignSnapshot, query: RunsQuery, campaign: CampaignContext, now: Date): RunPage {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const matched: RunRow[] = [];
  for (const run of snapshot.runs) {
    if (query.status !== undefined && run.status !== query.status) continue;
    if (query.outcome !== undefined && (run.outcome ?? 'unfinished') !== query.outcome) continue;
    const target = snapshot.target(run.runId);
    if (query.owner !== undefined && target?.owner !== query.owner) continue;
    if (query.tier !== undefined && target?.tier !== query.tier) continue;
    if (query.step !== undefined && currentStep(run) !== query.step) continue;
    const row = runRow(run, target?.owner, target?.tier, runContextOf(campaign, run.target), now);
    if (needle && !`${row.target}\n${row.owner ?? ''}\n${row.detail}`.toLowerCase().includes(needle)) continue;
    matched.push(row);
  }
  return { total: matched.length, offset: query.offset, limit: query.limit, runs: matched.slice(query.offset, query.offset + query.limit) };
}

/** The values the filters offer: owners and tiers of the campaign's targets, and its steps in path order. */
export function facets(snapshot: CampaignSnapshot): { owners: string[]; tiers: number[]; steps: string[] } {
  const owners = new Set<string>();
  const tiers = new Set<number>();
  const steps = new Set<string>();
  for (const run of snapshot.runs) {
    const target = snapshot.target(run.runId);
    if (target?.owner !== undefined) owners.add(target.owner);
    if (target?.tier !== undefined) tiers.add(target.tier);
    for (const step of Object.keys(run.steps)) steps.add(step);
  }
  return { owners: [...owners].sort(), tiers: [...tiers].sort((a, b) => a - b), steps: [...steps] };
}
