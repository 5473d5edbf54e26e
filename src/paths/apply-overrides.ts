import { z } from 'zod';
import { stepSpecSchema } from '../model/campaign.js';
import { didYouMean } from '../expr/did-you-mean.js';
import type { YamlPath } from '../config/yaml-source.js';
import type { AnyPreset, PresetStep } from './preset.js';

/**
 * A campaign's changes to a preset's steps, by id. Every field of a step may be given (it replaces the
 * preset's), plus where a new step goes (`after` / `before` a step id) or `remove: true`. Built from the
 * step schema, so a field the step format gains is overridable at once.
 */
export const stepOverrideSchema = stepSpecSchema
  .partial()
  .extend({
    id: stepSpecSchema.shape.id,
    with: z.record(z.string(), z.unknown()).optional(),
    /** Put this step right after the step with this id (new steps, or to move one). */
    after: z.string().min(1).optional(),
    /** Put this step right before the step with this id. */
    before: z.string().min(1).optional(),
    /** Leave the preset's step out. */
    remove: z.literal(true).optional(),
  });

/** One entry of the campaign's `steps:` list (already valid against {@link stepOverrideSchema}). */
export interface OverrideEntry {
  /** Its position in the campaign's `steps:` list, for error locations. */
  index: number;
  /** As written. */
  fields: Record<string, unknown>;
}

/** A step of the expanded path, and which of its parts the campaign wrote (for error locations). */
export interface ExpandedStep {
  value: Record<string, unknown>;
  /** The campaign's `steps:` entry that wrote (part of) this step; undefined for a preset step as is. */
  entry?: number;
  /** Fields taken from that entry. */
  fields: ReadonlySet<string>;
  /** `with` keys taken from that entry when `with` was merged into the preset's. */
  withKeys: ReadonlySet<string>;
}

export interface OverrideProblem {
  path: YamlPath;
  reason: string;
}

/**
 * Applies a campaign's step entries to a preset's steps, in the order written:
 * - an entry whose id is a preset step changes it: each field given replaces the preset's, and `with` is
 *   merged key by key — unless the entry gives `uses`, which makes it a different step: then the entry
 *   replaces the step whole;
 * - an entry with a new id is a new step (it needs `uses`), put `after:` or `before:` a step, or at the
 *   end; several steps after the same step keep the order they are written in;
 * - `remove: true` leaves a preset step out; a preset's required steps cannot be removed or given `if:`.
 */
export function applyOverrides(preset: AnyPreset, presetSteps: readonly PresetStep[], entries: readonly OverrideEntry[]): { steps: ExpandedStep[]; problems: OverrideProblem[] } {
  const steps: ExpandedStep[] = presetSteps.map((step) => ({ value: { ...step }, fields: new Set(), withKeys: new Set() }));
  const problems: OverrideProblem[] = [];
  const changedBy = new Map<string, number>();
  const lastAfter = new Map<string, string>();
  const required = new Set(preset.required ?? []);
  const ids = (): string[] => steps.map((step) => String(step.value.id));
  const at = (entry: OverrideEntry, key: string): YamlPath => ['steps', entry.index, key];

  for (const entry of entries) {
    const { id: rawId, after, before, remove, ...fields } = entry.fields;
    const id = String(rawId);
    const problem = (key: string, reason: string): void => void problems.push({ path: at(entry, key), reason });
    const earlier = changedBy.get(id);
    if (earlier !== undefined) {
      problem('id', `step "${id}" is already changed by steps[${earlier}]; give all its changes in one entry`);
      continue;
    }
    changedBy.set(id, entry.index);
    if (after !== undefined && before !== undefined) {
      problem('before', 'give after or before, not both');
      continue;
    }
    const position = steps.findIndex((step) => step.value.id === id);
    const inPreset = presetSteps.some((step) => step.id === id);
    if (remove === true) {
      if (position < 0) problem('id', `cannot remove "${id}": ${preset.id} has no such step${didYouMean(id, ids())}; its steps: ${ids().join(', ')}`);
      else if (Object.keys(fields).length > 0 || after !== undefined || before !== undefined) problem('remove', 'remove: true takes no other fields');
      else if (required.has(id)) problem('remove', `${preset.id} requires the ${id} step; change its fields instead of removing it`);
      else steps.splice(position, 1);
      continue;
    }
    if (position < 0 && !('uses' in fields)) {
      const hint = inPreset ? '' : didYouMean(id, ids());
      problem('id', `"${id}" is not a step of ${preset.id}${hint}; its steps: ${ids().join(', ')}. A new step needs uses:`);
      continue;
    }
    if (required.has(id) && 'if' in fields) {
      problem('if', `${preset.id} requires the ${id} step on every target; it cannot have if:`);
      continue;
    }
    const current = position >= 0 ? steps[position] : undefined;
    const step = current && !('uses' in fields) ? patched(current, id, fields, entry.index) : replaced(id, fields, entry.index);
    if (position >= 0) steps.splice(position, 1);
    const anchor = typeof after === 'string' ? after : typeof before === 'string' ? before : undefined;
    if (anchor === undefined) {
      steps.splice(position >= 0 ? position : steps.length, 0, step);
      continue;
    }
    const key = after !== undefined ? 'after' : 'before';
    const anchorAt = steps.findIndex((candidate) => candidate.value.id === anchor);
    if (anchor === id || anchorAt < 0) {
      const reason = anchor === id ? 'a step cannot be placed relative to itself' : `unknown step "${anchor}"${didYouMean(anchor, ids())}; steps so far: ${ids().join(', ')}`;
      problem(key, reason);
      continue;
    }
    if (key === 'before') steps.splice(anchorAt, 0, step);
    else {
      const previous = steps.findIndex((candidate) => candidate.value.id === lastAfter.get(anchor));
      steps.splice((previous >= 0 ? previous : anchorAt) + 1, 0, step);
      lastAfter.set(anchor, id);
    }
  }
  return { steps, problems };
}

function patched(current: ExpandedStep, id: string, fields: Record<string, unknown>, entry: number): ExpandedStep {
  const { with: withValue, ...rest } = fields;
  const value: Record<string, unknown> = { ...current.value, ...rest, id };
  const withKeys = new Set<string>();
  if (isRecord(withValue)) {
    value.with = { ...(isRecord(current.value.with) ? current.value.with : {}), ...withValue };
    for (const key of Object.keys(withValue)) withKeys.add(key);
  }
  return { value, entry, fields: new Set(['id', ...Object.keys(fields)]), withKeys };
}

function replaced(id: string, fields: Record<string, unknown>, entry: number): ExpandedStep {
  const value = { id, ...fields };
  return { value, entry, fields: new Set(Object.keys(value)), withKeys: new Set(isRecord(fields.with) ? Object.keys(fields.with) : []) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
