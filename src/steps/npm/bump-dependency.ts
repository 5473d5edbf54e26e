import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { defineStep, needsHuman, skipRun } from '../../sdk/step.js';
import { replaceStringValue } from './json-text.js';
import { FOREIGN_LOCKFILES, NPM_LOCKFILES, lockedVersion, readOptional, updateLockfile } from './lockfile.js';
import { formatRange, parseRangeStyle, type RangeStyle } from './range-style.js';

/** The package.json sections a dependency can be declared in, in the order `from` is taken from. */
const SECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;
type Section = (typeof SECTIONS)[number];

const input = z.strictObject({
  /** The npm package to bump, as named in package.json. */
  package: z
    .string()
    .min(1)
    .regex(/^(@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*$/i, 'must be an npm package name such as debug or @scope/name'),
  /** The exact version to move to; the range style of each declaration is kept. */
  version: z.string().refine((value) => semver.valid(value) === value, {
    message: 'must be an exact version such as 4.4.1 (no range, no leading v)',
  }),
});

const output = z.strictObject({
  package: z.string(),
  /** The version the first declaration started from (its minimum). */
  from: z.string(),
  to: z.string(),
  /** How far the bump goes (`semver.diff` of the minimum versions); any move to a pre-release is `prerelease`. */
  kind: z.enum(['major', 'minor', 'patch', 'prerelease', 'none']),
  /** The workspace files the step changed. */
  files: z.array(z.string()),
});

type Output = z.input<typeof output>;

interface Declaration {
  section: Section;
  spec: string;
  style: RangeStyle;
}

/**
 * Moves an npm dependency to a version in every section of package.json it is declared in, keeping the
 * range style and the file's exact formatting, then updates the lockfile without running any script.
 */
export const npmBumpDependency = defineStep({
  id: 'npm/bump-dependency',
  description:
    "Bumps an npm dependency to an exact version in package.json (keeping each range's style and the file's formatting) and updates package-lock.json without running install scripts.",
  kind: 'change',
  workspace: true,
  input,
  output,
  examples: [
    { title: 'Move every service to debug 4.4.1', with: { package: 'debug', version: '4.4.1' } },
    { title: 'Bump a scoped package', with: { package: '@flotilla-demo/strings', version: '2.0.0' } },
  ],
  async run({ package: name, version }, ctx) {
    const nothing = (from: string): Output => ({ package: name, from, to: version, kind: 'none', files: [] });
    const manifestText = await readOptional(ctx.workspace, 'package.json');
    if (manifestText === undefined) return skipRun(`${name} is not a dependency of this target`, nothing(''));
    const manifest = parseManifest(manifestText);

    const declarations: Declaration[] = [];
    for (const section of SECTIONS) {
      const spec = manifest[section]?.[name];
      if (typeof spec !== 'string') continue;
      const style = parseRangeStyle(spec);
      if ('refused' in style) {
        return needsHuman([`${name} in ${section} is ${style.refused}: bump it by hand`], nothing(spec));
      }
      declarations.push({ section, spec, style });
    }
    const first = declarations[0];
    if (!first) return skipRun(`${name} is not a dependency of this target`, nothing(''));
    const from = first.style.version;

    const lockfile = await findLockfile(ctx.workspace);
    if (!lockfile) {
      const foreign = await findForeignLockfile(ctx.workspace);
      if (foreign) return needsHuman([`${foreign} is not kept up to date by npm: bump ${name} with its own package manager`], nothing(from));
    }

    const edits = declarations.filter((declaration) => declaration.style.version !== version);
    const locked = lockfile ? lockedVersion(lockfile.text, name) : undefined;
    // A lockfile that does not satisfy package.json means an earlier attempt edited package.json and
    // stopped before npm finished: finish that work instead of reporting "already there".
    const lockIsBehind = locked !== undefined && declarations.some((declaration) => !semver.satisfies(locked, declaration.spec));
    if (edits.length === 0 && !lockIsBehind) return skipRun(`already at ${version}`, nothing(from));
    if (semver.lt(version, from)) ctx.log.warn('the bump moves the dependency to a lower version', { package: name, from, to: version });

    const files: string[] = [];
    if (edits.length > 0) {
      let text = manifestText;
      for (const edit of edits) {
        const next = replaceStringValue(text, [edit.section, name], formatRange(edit.style, version));
        if (next === undefined) throw new FlotillaError('internal', 'a declaration found by JSON.parse was not found in the text');
        text = next;
      }
      await writeFile(join(ctx.workspace, 'package.json'), text);
      files.push('package.json');
      ctx.log.info('package.json updated', { package: name, from, to: version, sections: edits.map((edit) => edit.section) });
    }

    if (lockfile) {
      await updateLockfile(ctx);
      const after = await readOptional(ctx.workspace, lockfile.file);
      if (after !== undefined && after !== lockfile.text) files.push(lockfile.file);
      const resolved = after === undefined ? undefined : lockedVersion(after, name);
      if (resolved !== version) {
        ctx.log.warn('the lockfile resolves another version than the one asked for', { package: name, asked: version, resolved });
      }
    }
    return { package: name, from, to: version, kind: bumpKind(from, version), files };
  },
});

/** `semver.diff` folded onto the kinds the confidence model knows. */
export function bumpKind(from: string, to: string): Output['kind'] {
  const difference = semver.diff(from, to);
  if (difference === null) return 'none';
  if (difference === 'major' || difference === 'minor' || difference === 'patch') return difference;
  return 'prerelease';
}

function parseManifest(text: string): Partial<Record<Section, Record<string, unknown>>> {
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch (error) {
    throw new FlotillaError('step-failed', `package.json is not valid JSON: ${(error as Error).message}`);
  }
  throw new FlotillaError('step-failed', 'package.json is not a JSON object');
}

async function findLockfile(workspace: string): Promise<{ file: string; text: string } | undefined> {
  for (const file of NPM_LOCKFILES) {
    const text = await readOptional(workspace, file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

async function findForeignLockfile(workspace: string): Promise<string | undefined> {
  for (const file of FOREIGN_LOCKFILES) {
    if ((await readOptional(workspace, file)) !== undefined) return file;
  }
  return undefined;
}
