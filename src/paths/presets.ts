import type { AnyPreset } from './preset.js';
import { codemod } from './presets/codemod.js';
import { npmDependencyBump } from './presets/npm-dependency-bump.js';
import { securityPatch } from './presets/security-patch.js';

/** Every ready-made path, alphabetically by id. Adding a preset means adding it here: nothing is scanned. */
export const PATH_PRESETS: readonly AnyPreset[] = [codemod, npmDependencyBump, securityPatch];

export function findPreset(id: string): AnyPreset | undefined {
  return PATH_PRESETS.find((preset) => preset.id === id);
}
