import type { AnyStep } from '../sdk/step.js';
import { changeMerge } from './change/merge.js';
import { changeOpen } from './change/open.js';
import { codemodReplace } from './codemod/replace.js';
import { gitCheckout } from './git/checkout.js';
import { npmBumpDependency } from './npm/bump-dependency.js';
import { runCommand } from './run/run.js';

/** Every built-in step, alphabetically by id. Adding a step means adding it here: nothing is scanned. */
export const BUILT_IN_STEPS: readonly AnyStep[] = [changeMerge, changeOpen, codemodReplace, gitCheckout, npmBumpDependency, runCommand];

/** The registry a campaign is checked against: built-ins plus the steps a campaign loads. */
export function stepRegistry(extra: readonly AnyStep[] = []): ReadonlyMap<string, AnyStep> {
  const registry = new Map<string, AnyStep>();
  for (const step of [...BUILT_IN_STEPS, ...extra]) {
    if (registry.has(step.id)) throw new Error(`two steps have the id ${step.id}`);
    registry.set(step.id, step);
  }
  return registry;
}
