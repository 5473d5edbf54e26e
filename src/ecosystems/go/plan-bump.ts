import semver from 'semver';
import type { FileEdits, SourceFile } from '../apply-plan.js';
import type { BumpPlan } from '../bump-output.js';
import { readGoMod } from './go-mod.js';

/** The major version a module path carries (`/v2`, gopkg.in's `.v2`); 0 or 1 when it carries none. */
export function pathMajor(path: string): number | undefined {
  const match = /\/v(\d+)$/.exec(path) ?? /^gopkg\.in\/.*\.v(\d+)$/.exec(path);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Plans a Go bump over every go.mod of the repository (each is its own module, so they may differ).
 * Refused: a major version the module path does not carry (v2+ needs `/v2`, a path change — that is a
 * migration, not a bump), a module that is `replace`d (the require version would not be what builds),
 * and a module required twice in one go.mod.
 */
export function planGoBump(files: readonly SourceFile[], path: string, version: string): BumpPlan<FileEdits> {
  const major = semver.major(version.slice(1));
  const carried = pathMajor(path);
  const incompatible = version.endsWith('+incompatible');
  const edits: FileEdits = new Map();
  let from = '';
  let declared = false;
  for (const { file, text } of files) {
    const mod = readGoMod(text);
    const requires = mod.requires.filter((item) => item.path === path);
    if (requires.length === 0) continue;
    declared = true;
    from ||= requires[0]?.version ?? '';
    if (requires.length > 1) return { status: 'refused', reason: `${path} is required ${requires.length} times in ${file}: fix go.mod by hand`, from };
    const replaced = mod.replaces.find((item) => item.path === path);
    if (replaced) {
      return { status: 'refused', reason: `${file}:${replaced.line} replaces ${path} with ${replaced.replacement}: the required version is not what builds; bump it by hand`, from };
    }
    if (major >= 2 && carried !== major && !incompatible) {
      return { status: 'refused', reason: `${version} is major version ${major}, but the module path ${path} does not end in /v${major}: moving to it changes the import path` , from };
    }
    if (carried !== undefined && carried >= 2 && carried !== major) {
      return { status: 'refused', reason: `${path} is the v${carried} module path, and ${version} is not a v${carried} version`, from };
    }
    const require = requires[0];
    if (require && require.version !== version) edits.set(file, [{ start: require.start, end: require.end, text: version }]);
  }
  if (!declared) return { status: 'absent' };
  if (edits.size === 0) return { status: 'current', from };
  return { status: 'edit', from, edits };
}
