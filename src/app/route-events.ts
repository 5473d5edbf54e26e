import { repoSlug, type ExternalEvent } from '../hooks/external-event.js';
import type { RunState } from '../model/run.js';
import { runIdOf } from '../engine/reducer.js';
import type { Store } from '../store/store.js';

/**
 * Puts external events into the inbox of the runs they concern: by campaign + target when the sender
 * knows them; by the change's branch (`flotilla/<campaign>`) and repository; or by the commit of a
 * published change (CI results). Only unfinished runs receive events. Returns how many runs were reached.
 */
export async function routeEvents(store: Store, events: readonly ExternalEvent[], now: () => Date = () => new Date()): Promise<{ matched: number }> {
  let matched = 0;
  const runsByCampaign = new Map<string, { run: RunState; repo: string | undefined }[]>();
  const runsOf = async (campaign: string): Promise<{ run: RunState; repo: string | undefined }[]> => {
    let runs = runsByCampaign.get(campaign);
    if (!runs) {
      const repos = new Map<string, string>();
      for (const recorded of await store.listRunTargets(campaign)) {
        const repo = (recorded.facts as { repo?: unknown } | undefined)?.repo;
        if (typeof repo === 'string') repos.set(recorded.runId, repo);
      }
      runs = (await store.listRuns(campaign)).filter((run) => run.status !== 'done').map((run) => ({ run, repo: repos.get(run.runId) }));
      runsByCampaign.set(campaign, runs);
    }
    return runs;
  };
  for (const event of events) {
    const targets = new Set<string>();
    if (event.campaign && event.target) {
      const runId = runIdOf(event.campaign, event.target);
      if ((await runsOf(event.campaign)).some((entry) => entry.run.runId === runId)) targets.add(runId);
    } else {
      const campaigns = event.campaign ? [event.campaign] : (await store.listCampaigns()).map((record) => record.name);
      for (const campaign of campaigns) {
        for (const entry of await runsOf(campaign)) {
          if (concerns(entry.run, entry.repo, event)) targets.add(entry.run.runId);
        }
      }
    }
    for (const runId of targets) {
      const campaign = runId.slice(0, runId.indexOf(':'));
      await store.enqueueSignal({ campaign, runId, name: event.type, data: event.data, cause: event.cause, at: now().toISOString() });
      matched++;
    }
  }
  return { matched };
}

/**
 * Whether a code host's event is about this run's change: its commit, or its branch in its repository
 * (every target of a campaign uses the same branch name, so a branch alone identifies no run).
 */
function concerns(run: RunState, repo: string | undefined, event: ExternalEvent): boolean {
  const match = event.match;
  if (!match) return false;
  const published = Object.values(run.steps).find((step) => typeof step.output?.changeId === 'string' && step.output.changeId !== '')?.output;
  if (match.commit && published?.commit === match.commit) return true;
  return Boolean(match.branch && match.repo && repo && match.branch === published?.branch && repoSlug(repo) === match.repo);
}
