import { FlotillaError, isFlotillaError } from '../model/errors.js';
import type { RunState } from '../model/run.js';
import type { Store } from '../store/store.js';
import { createRunner, type RunnerSettings } from './create-runner.js';
import { storedCampaign } from './stored-campaign.js';

export type ContinueResult = { ran: true; runs: RunState[] } | { ran: false; holder: string };

/**
 * Moves a stored campaign forward on this process until nothing can move without an outside event — the
 * way `approve`, `emit`, `resume` and `cancel` take effect at once when no other process runs the
 * campaign. When one does (`flotilla serve`, a `run --watch`), it applies the change itself.
 */
export async function continueCampaign(store: Store, stateDir: string, name: string, settings: RunnerSettings = {}): Promise<ContinueResult> {
  const campaign = await storedCampaign(store, name);
  try {
    const runs = await createRunner(campaign, store, stateDir, settings).run([]);
    return { ran: true, runs };
  } catch (error) {
    if (isFlotillaError(error) && error.code === 'conflict' && /already running/.test(error.message)) {
      return { ran: false, holder: /\(([^)]*)\)/.exec(error.message)?.[1] ?? 'another process' };
    }
    throw error;
  }
}

/** The run of `target` in `campaign`, or a not-found error that says which targets there are. */
export async function runOf(store: Store, campaign: string, target: string): Promise<RunState> {
  const runs = await store.listRuns(campaign);
  const run = runs.find((candidate) => candidate.target === target);
  if (run) return run;
  if (runs.length === 0) throw new FlotillaError('not-found', `campaign ${campaign} has no runs (is the name right? \`flotilla status\` lists campaigns)`);
  const names = runs.slice(0, 8).map((candidate) => candidate.target);
  throw new FlotillaError('not-found', `campaign ${campaign} has no run for target ${target}; its targets include ${names.join(', ')}`);
}
