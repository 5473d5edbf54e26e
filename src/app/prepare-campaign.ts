import { loadCampaign, type LoadedCampaign } from '../config/load-campaign.js';
import { loadFleet } from '../config/load-fleet.js';
import { withImpliedCheckout, type EngineCampaign, type EngineStep } from '../engine/engine-campaign.js';
import { detectFacts } from '../facts/detect-facts.js';
import { resolveRepository } from '../facts/repository-cache.js';
import { basename } from 'node:path';
import type { FleetSpec, Target } from '../model/fleet.js';
import { FlotillaError, errorMessage } from '../model/errors.js';
import type { AnyStep } from '../sdk/step.js';
import { gitCheckout } from '../steps/git/checkout.js';
import type { Store } from '../store/store.js';
import { storeFactsCache } from './facts-cache.js';

export interface PreparedCampaign {
  loaded: LoadedCampaign;
  engine: EngineCampaign;
  fleet: FleetSpec;
  /** Targets the campaign's `targets:` selects, with their facts. */
  selected: Target[];
  /** Targets left out, and why. */
  excluded: { name: string; reason: string }[];
}

export interface PrepareOptions {
  campaignFile: string;
  fleetFile: string;
  stateDir: string;
  store: Store;
  registry: ReadonlyMap<string, AnyStep>;
  /** Called as facts are detected, for progress. */
  onTarget?: (done: number, total: number) => void;
}

const FACT_PARALLELISM = 8;

/** Loads and validates the campaign and the fleet, detects facts, and selects the targets. */
export async function prepareCampaign(options: PrepareOptions): Promise<PreparedCampaign> {
  const loaded = await loadCampaign(options.campaignFile, options.registry);
  const fleet = await loadFleet(options.fleetFile);
  const cache = await storeFactsCache(options.store);
  const targets: Target[] = new Array<Target>(fleet.targets.length);
  let done = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < fleet.targets.length) {
      const index = next++;
      const spec = fleet.targets[index];
      if (!spec) continue;
      let facts;
      try {
        const repoPath = await resolveRepository(spec.repo, options.stateDir);
        facts = await detectFacts(spec, repoPath, cache);
      } catch (error) {
        throw new FlotillaError('bad-input', `target ${spec.name}: ${errorMessage(error)}`, { cause: error, location: { file: options.fleetFile } });
      }
      targets[index] = { spec, facts };
      options.onTarget?.(++done, fleet.targets.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FACT_PARALLELISM, fleet.targets.length) }, worker));
  await cache.flush();

  const selector = loaded.spec.targets === undefined ? undefined : loaded.selector;
  const selected: Target[] = [];
  const excluded: { name: string; reason: string }[] = [];
  for (const target of targets) {
    if (!selector || selector(target.facts)) selected.push(target);
    else excluded.push({ name: target.spec.name, reason: `targets: ${loaded.spec.targets ?? ''} is false` });
  }
  const engine = engineCampaignOf(loaded);
  return { loaded, engine, fleet, selected: engine.changePer === 'repository' ? groupByRepository(selected) : selected, excluded };
}

export function engineCampaignOf(loaded: LoadedCampaign): EngineCampaign {
  const steps: EngineStep[] = loaded.steps.map((step) => {
    const engineStep: EngineStep = {
      id: step.id,
      uses: step.uses,
      definition: step.definition,
      with: step.with,
      timeoutMs: step.timeoutMs,
      attempts: step.retry.attempts,
      backoffMs: step.retry.backoffMs,
    };
    if (step.if) {
      const condition = step.if;
      engineStep.condition = (scope) => condition(scope);
    }
    if (step.graph) {
      engineStep.needs = step.graph.needs;
      engineStep.onFailure = step.graph.onFailure;
      if (step.graph.onTimeout) engineStep.onTimeout = step.graph.onTimeout;
      if (step.graph.on) engineStep.on = step.graph.on;
      if (step.graph.handler) engineStep.handler = true;
    }
    return engineStep;
  });
  const title = loaded.spec.change?.title ?? loaded.spec.description ?? `Flotilla campaign ${loaded.spec.name}`;
  const body = loaded.spec.change?.body ?? `Automated change by the Flotilla campaign \`${loaded.spec.name}\`.`;
  const campaign: EngineCampaign = { name: loaded.spec.name, hash: loaded.hash, file: loaded.file, spec: loaded.spec, change: { title, body }, steps: withImpliedCheckout(steps, gitCheckout) };
  if (loaded.spec.limits) campaign.limits = loaded.spec.limits;
  if (loaded.spec.cancel) campaign.closeChangesOnCancel = loaded.spec.cancel.closeChanges;
  if (loaded.spec.rollout) campaign.rollout = loaded.spec.rollout;
  if (loaded.spec.change?.per === 'repository') campaign.changePer = 'repository';
  return campaign;
}

/**
 * One change per repository: the selected targets of one repository become one run, named after the
 * repository, whose change and validation steps visit each target's project in one shared checkout.
 * A repository with a single target keeps it as it is.
 */
export function groupByRepository(targets: readonly Target[]): Target[] {
  const groups = new Map<string, Target[]>();
  for (const target of targets) {
    const key = `${target.facts.repo}@${target.facts.defaultBranch}`;
    groups.set(key, [...(groups.get(key) ?? []), target]);
  }
  const grouped: Target[] = [];
  const names = new Set<string>();
  for (const members of groups.values()) {
    const [first] = members;
    if (!first) continue;
    if (members.length === 1 && !first.spec.path) {
      grouped.push(first);
      continue;
    }
    let name = basename(first.facts.repo).replace(/\.git$/, '') || first.spec.name;
    while (names.has(name)) name = `${name}-${names.size}`;
    names.add(name);
    const projects = members.map((member) => member.spec.path ?? '');
    const tags = [...new Set(members.flatMap((member) => member.facts.tags))];
    const tier = Math.min(...members.map((member) => member.facts.tier));
    const dependencies = Object.assign({}, ...members.map((member) => member.facts.dependencies)) as Record<string, string>;
    grouped.push({
      spec: { name, repo: first.spec.repo, ...(first.spec.branch ? { branch: first.spec.branch } : {}), ...(first.spec.owner ? { owner: first.spec.owner } : {}), tier, tags },
      facts: { ...first.facts, name, tier, tags, path: '', dependencies, hasTests: members.some((member) => member.facts.hasTests) },
      projects,
    });
  }
  return grouped;
}
