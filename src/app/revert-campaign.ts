import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadCampaign } from '../config/load-campaign.js';
import { detectFacts } from '../facts/detect-facts.js';
import type { Target, TargetSpec } from '../model/fleet.js';
import { FlotillaError } from '../model/errors.js';
import type { RunState } from '../model/run.js';
import { stepRegistry } from '../steps/registry.js';
import type { Store } from '../store/store.js';
import { createRunner, type RunnerSettings } from './create-runner.js';
import { engineCampaignOf } from './prepare-campaign.js';

/**
 * `flotilla revert CAMPAIGN`: a campaign of its own, `<campaign>-revert`, over the targets where the
 * campaign merged, whose path reverts the merge and lands the revert (open + merge). Its runs are tracked
 * like any other: running it again resumes it, and targets added later get runs of their own.
 */
export async function revertCampaign(store: Store, stateDir: string, name: string, only: readonly string[] | undefined, settings: RunnerSettings = {}): Promise<{ campaign: string; runs: RunState[] }> {
  const record = await store.getCampaign(name);
  if (!record) throw new FlotillaError('not-found', `no campaign named ${name} in this state folder`);
  const merged = (await store.listRuns(name)).filter((run) => run.outcome === 'merged');
  const unknown = (only ?? []).filter((target) => !merged.some((run) => run.target === target));
  if (unknown.length > 0) throw new FlotillaError('bad-input', `not merged by ${name}, so nothing to revert: ${unknown.join(', ')}`, { location: { field: '--targets' } });
  const chosen = merged.filter((run) => !only || only.includes(run.target));
  if (chosen.length === 0) throw new FlotillaError('conflict', `campaign ${name} merged nothing: there is nothing to revert`);

  const revertName = `${name}-revert`.slice(0, 100);
  const file = join(stateDir, 'campaigns', `${revertName}.yaml`);
  await mkdir(join(stateDir, 'campaigns'), { recursive: true });
  const spec = {
    name: revertName,
    description: `Revert what ${name} merged`,
    change: { title: `Revert ${name}`, body: `Reverts the change the Flotilla campaign \`${name}\` merged.` },
    steps: [
      { id: 'revert', uses: 'change/revert', with: { campaign: name } },
      { id: 'open', uses: 'change/open' },
      { id: 'merge', uses: 'change/merge' },
    ],
  };
  await writeFile(file, `# Written by flotilla revert ${name}.\n${stringify(spec)}`);
  const loaded = await loadCampaign(file, stepRegistry());
  const engine = engineCampaignOf(loaded);
  const previous = await store.getCampaign(revertName);
  const now = new Date().toISOString();
  await store.saveCampaign({ name: revertName, hash: engine.hash, spec: engine.spec, file, createdAt: previous?.createdAt ?? now, updatedAt: now });

  const recorded = new Map((await store.listRunTargets(name)).map((entry) => [entry.runId, entry.spec as TargetSpec | undefined]));
  const targets: Target[] = [];
  for (const run of chosen) {
    const spec = recorded.get(run.runId);
    if (!spec) throw new FlotillaError('internal', `run ${run.runId} has no recorded target`);
    // Facts again: the revert starts from the default branch as it is now, after the merge.
    targets.push({ spec, facts: await detectFacts(spec, spec.repo) });
  }
  const runs = await createRunner(engine, store, stateDir, settings).run(targets);
  return { campaign: revertName, runs };
}
