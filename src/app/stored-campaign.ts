import { existsSync } from 'node:fs';
import { loadCampaign } from '../config/load-campaign.js';
import type { EngineCampaign } from '../engine/engine-campaign.js';
import { FlotillaError } from '../model/errors.js';
import { stepRegistry } from '../steps/registry.js';
import type { Store } from '../store/store.js';
import { engineCampaignOf } from './prepare-campaign.js';

/**
 * A campaign as it was started, from the store: its file is loaded again (steps are code, the store keeps
 * only the definition's hash) and must still be the definition the runs were started with.
 */
export async function storedCampaign(store: Store, name: string): Promise<EngineCampaign> {
  const record = await store.getCampaign(name);
  if (!record) throw new FlotillaError('not-found', `no campaign named ${name} in this state folder`);
  if (!existsSync(record.file)) {
    throw new FlotillaError('not-found', `campaign ${name} was started from ${record.file}, which is gone; restore it to continue the campaign`);
  }
  const loaded = await loadCampaign(record.file, stepRegistry());
  if (loaded.hash !== record.hash) {
    throw new FlotillaError('conflict', `${record.file} changed since campaign ${name} started; restore the original definition to continue it`);
  }
  return engineCampaignOf(loaded);
}
