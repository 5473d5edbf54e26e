import { cpus } from 'node:os';
import { createScmResolver } from '../adapters/scm/scm-for.js';
import { CampaignRunner, type RunnerOptions } from '../engine/campaign-runner.js';
import type { EngineCampaign } from '../engine/engine-campaign.js';
import { defaultExecutorFor } from '../distributed/default-executor.js';
import { interpolate } from '../expr/template.js';
import type { Store } from '../store/store.js';
import { provideConfidenceHistory } from '../steps/confidence/history-registry.js';
import { storeConfidenceHistory } from '../steps/confidence/store-history.js';

export type RunnerSettings = Partial<Omit<RunnerOptions, 'store' | 'stateDir' | 'scmFor' | 'interpolate'>>;

/**
 * The runner every entry point uses (run, demo, approve, serve), wired to the local-git SCM. On a
 * PostgreSQL store its steps run on `flotilla worker` processes (see `defaultExecutorFor`).
 */
export function createRunner(campaign: EngineCampaign, store: Store, stateDir: string, settings: RunnerSettings = {}): CampaignRunner {
  const executor = defaultExecutorFor(store, settings.env ?? process.env);
  // The confidence gate reads the campaign's record and the targets' history from this process's store.
  provideConfidenceHistory(storeConfidenceHistory(store));
  return new CampaignRunner(campaign, {
    ...(executor ? { executor } : {}),
    store,
    stateDir,
    concurrency: settings.concurrency ?? cpus().length,
    scmFor: createScmResolver(settings.env ?? process.env),
    interpolate: (value, scope) => interpolate(value, scope),
    ...settings,
  });
}
