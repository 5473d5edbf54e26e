import { z } from 'zod';
import { pathSpecSchema } from '../model/campaign.js';
import type { FlotillaError } from '../model/errors.js';
import { didYouMean } from '../expr/did-you-mean.js';
import { badInputAt, locationAt } from '../expr/site.js';
import { siteAt, type YamlSource } from '../config/yaml-source.js';
import { combineErrors, sortByLocation, zodIssuesToErrors } from '../config/zod-issues.js';
import { applyOverrides, stepOverrideSchema, type ExpandedStep, type OverrideEntry } from './apply-overrides.js';
import { expandedSource } from './expanded-source.js';
import type { AnyPreset } from './preset.js';
import { PATH_PRESETS } from './presets.js';

const overridesSchema = z.array(stepOverrideSchema);

/**
 * Expands a campaign's `path:` (a preset and its parameters) and its changes to the preset's steps into
 * the whole list of steps, before any other check runs — so every check of a hand-written path (unknown
 * steps, `with` against the step's input, templates, CEL) applies to a preset's path too, at the lines
 * that wrote each part. A campaign without `path:` is returned as it is.
 *
 * Problems with the preset itself are thrown here, all at once: an unknown preset (at `path.uses`, with
 * a suggestion), bad parameters (at `path.with`), and changes that cannot apply (at the entry's line).
 */
export function expandPath(source: YamlSource, presets: readonly AnyPreset[] = PATH_PRESETS): YamlSource {
  const root = source.value;
  if (!isRecord(root) || root.path === undefined) return source;
  const expanded = expandSteps(source, root, presets);
  if (Array.isArray(expanded)) throw combineErrors(sortByLocation(expanded));
  return expandedSource(source, expanded.steps);
}

function expandSteps(source: YamlSource, root: Record<string, unknown>, presets: readonly AnyPreset[]): FlotillaError[] | { steps: ExpandedStep[] } {
  const path = pathSpecSchema.safeParse(root.path);
  if (!path.success) return zodIssuesToErrors(path.error.issues, { source, schema: pathSpecSchema, pathPrefix: ['path'] });
  const errors: FlotillaError[] = [];
  const preset = presets.find((candidate) => candidate.id === path.data.uses);
  if (!preset) {
    const hint = didYouMean(path.data.uses, presets.map((candidate) => candidate.id)) || '; `flotilla paths` lists the presets';
    errors.push(badInputAt(`unknown preset "${path.data.uses}"${hint}`, locationAt(siteAt(source, ['path', 'uses']))));
  }
  const params = preset?.params.safeParse(path.data.with);
  if (params && !params.success) errors.push(...zodIssuesToErrors(params.error.issues, { source, schema: preset?.params, pathPrefix: ['path', 'with'] }));
  const overrides = root.steps === undefined ? undefined : overridesSchema.safeParse(root.steps);
  if (overrides && !overrides.success) errors.push(...zodIssuesToErrors(overrides.error.issues, { source, schema: overridesSchema, pathPrefix: ['steps'] }));
  if (errors.length > 0 || !preset || !params?.success) return errors;

  const entries: OverrideEntry[] = Array.isArray(root.steps) ? root.steps.map((fields, index) => ({ index, fields: fields as Record<string, unknown> })) : [];
  const { steps, problems } = applyOverrides(preset, preset.steps(params.data), entries);
  if (problems.length > 0) return problems.map((problem) => badInputAt(problem.reason, locationAt(siteAt(source, problem.path))));
  return { steps };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
