import type { StepGraph } from './check-graph.js';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { campaignSchema, type CampaignSpec } from '../model/campaign.js';
import type { AnyStep } from '../sdk/step.js';
import type { CompiledCondition, TargetSelector } from '../expr/cel.js';
import { checkCampaign } from './check-campaign.js';
import { expandPath } from '../paths/expand-path.js';
import { loadStepModules, refuseStepModules, withCampaignSteps } from './load-step-modules.js';
import { prepareCompliance } from '../steps/compliance/campaign-policy.js';
import { combineErrors, sortByLocation, zodIssuesToErrors } from './zod-issues.js';
import { parseYamlSource, readYamlSource, type YamlSource } from './yaml-source.js';

/** One step of the campaign's path, ready for the engine: definition found, defaults applied. */
export interface CompiledStep {
  id: string;
  uses: string;
  definition: AnyStep;
  /** As written: `${{ }}` templates are resolved at run time (`interpolate`), then parsed by `definition.input`. */
  with: Record<string, unknown>;
  if?: CompiledCondition;
  timeoutMs: number;
  retry: { attempts: number; backoffMs: number };
  /** Where the step sits in the path's graph (needs, on-failure, on:, on-timeout). */
  graph?: StepGraph;
}

export interface LoadedCampaign {
  spec: CampaignSpec;
  /** Absolute path of the campaign file. */
  file: string;
  /** Its folder: user steps and relative paths are found from here. */
  dir: string;
  /** sha256 of the canonical JSON of `spec`: a run records it, so an edited campaign is noticed. */
  hash: string;
  steps: CompiledStep[];
  /** The compiled `targets:` expression; selects every target when the campaign has none. */
  selector: TargetSelector;
  /** The steps the campaign's `load:` modules define; its `steps` were checked against them too. */
  customSteps: AnyStep[];
}

/**
 * Loads and checks a campaign file completely before anything runs: the schema, unique step ids, known
 * steps, each step's `with` against its input schema, `${{ }}` references to earlier steps' outputs, and
 * every CEL expression. All problems are reported at once, each with file, line, column and field.
 */
export async function loadCampaign(file: string, registry: ReadonlyMap<string, AnyStep>): Promise<LoadedCampaign> {
  const source = await readYamlSource(file);
  // The campaign's own steps join the registry first, so they are checked like built-in ones.
  const customSteps = await loadStepModules(source, file, registry);
  return compileCampaign(source, file, withCampaignSteps(registry, customSteps), customSteps);
}

/** {@link loadCampaign} over text already in memory (tests, the API); `file` names it in messages. */
export function parseCampaign(text: string, file: string, registry: ReadonlyMap<string, AnyStep>): LoadedCampaign {
  return compileCampaign(parseYamlSource(text, file), file, registry, undefined);
}

function compileCampaign(written: YamlSource, file: string, registry: ReadonlyMap<string, AnyStep>, customSteps: readonly AnyStep[] | undefined): LoadedCampaign {
  if (customSteps === undefined) refuseStepModules(written);
  // A preset path becomes the steps it stands for first, so every check below applies to it too.
  const source = expandPath(written);
  const parsed = campaignSchema.safeParse(source.value ?? {});
  if (!parsed.success) throw combineErrors(zodIssuesToErrors(parsed.error.issues, { source, schema: campaignSchema }));
  const spec = parsed.data;
  const checked = checkCampaign(spec, source, registry);
  if (checked.errors.length > 0) throw combineErrors(checked.errors);
  const absolute = resolve(file);
  // Compliance policies are found from the campaign's folder and checked now, before anything runs.
  const compliance = prepareCompliance(spec, source, dirname(absolute), checked.steps);
  if (compliance.errors.length > 0) throw combineErrors(sortByLocation(compliance.errors));
  return {
    spec,
    file: absolute,
    dir: dirname(absolute),
    hash: createHash('sha256').update(canonicalJson(spec)).digest('hex'),
    steps: compliance.steps,
    selector: checked.selector,
    customSteps: [...(customSteps ?? [])],
  };
}

/** JSON with object keys sorted at every level, so equal values always give the same text (and hash). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
