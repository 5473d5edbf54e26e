import semver from 'semver';
import { z } from 'zod';
import type { DependencyChange, SemverKind } from './change-facts.js';

/**
 * Dependency changes between two states of an npm project, from package.json and package-lock.json
 * (lockfileVersion 2 or 3: the `packages` map). Pure: the caller reads the files.
 *
 * - With a lockfile on a side, that side's versions are the locked ones (direct and transitive).
 * - Without a lockfile on either side, the package.json ranges are compared (all direct).
 * - One name may be installed at several versions; versions that appear are paired with versions that
 *   disappear, highest with highest, as `changed`; the rest are `added` or `removed`.
 */

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

const ranges = z.record(z.string(), z.string()).optional().catch(undefined);
const packageJsonSchema = z.looseObject({
  dependencies: ranges,
  devDependencies: ranges,
  optionalDependencies: ranges,
  peerDependencies: ranges,
});

const licenceField = z.unknown().optional();
const lockEntrySchema = z.looseObject({
  name: z.string().optional().catch(undefined),
  version: z.string().optional().catch(undefined),
  license: licenceField,
  licenses: licenceField,
  dev: z.boolean().optional().catch(undefined),
  link: z.boolean().optional().catch(undefined),
});
const lockSchema = z.looseObject({
  packages: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

interface Installed {
  licence: string | undefined;
  dev: boolean;
  /** Installed at `node_modules/<declared name>` of the root: what package.json asked for. */
  topLevel: boolean;
}

/** name → version → what is installed. */
type Inventory = Map<string, Map<string, Installed>>;

export function diffDependencies(
  basePkg: unknown,
  headPkg: unknown,
  baseLock: unknown,
  headLock: unknown,
): DependencyChange[] {
  const baseDeclared = declared(basePkg);
  const headDeclared = declared(headPkg);
  const baseLocked = lockedInventory(baseLock, baseDeclared);
  const headLocked = lockedInventory(headLock, headDeclared);
  if (!baseLocked && !headLocked) return diffDeclared(baseDeclared, headDeclared);
  return diffInventories(baseLocked ?? new Map<string, Map<string, Installed>>(), headLocked ?? new Map<string, Map<string, Installed>>());
}

/** Declared dependencies: name → { range, dev }. A name that is also a runtime dependency is not dev. */
function declared(pkg: unknown): Map<string, { range: string; dev: boolean }> {
  const parsed = packageJsonSchema.safeParse(pkg ?? {});
  const result = new Map<string, { range: string; dev: boolean }>();
  if (!parsed.success) return result;
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(parsed.data[field] ?? {})) {
      const dev = field === 'devDependencies';
      const known = result.get(name);
      if (!known) result.set(name, { range, dev });
      else if (!dev) result.set(name, { range: known.dev ? range : known.range, dev: false });
    }
  }
  return result;
}

function lockedInventory(lock: unknown, declaredNames: ReadonlyMap<string, unknown>): Inventory | undefined {
  const parsed = lockSchema.safeParse(lock);
  if (!parsed.success || !parsed.data.packages) return undefined;
  const inventory: Inventory = new Map();
  for (const [key, raw] of Object.entries(parsed.data.packages)) {
    const at = key.lastIndexOf('node_modules/');
    if (at < 0) continue; // the root project or a workspace folder, not a dependency
    const entry = lockEntrySchema.safeParse(raw);
    if (!entry.success || entry.data.link || !entry.data.version) continue;
    const keyName = key.slice(at + 'node_modules/'.length);
    const name = entry.data.name ?? keyName; // an alias (`foo: npm:bar@1`) records the real name
    const versions = inventory.get(name) ?? new Map<string, Installed>();
    inventory.set(name, versions);
    const topLevel = key === `node_modules/${keyName}` && declaredNames.has(keyName);
    const known = versions.get(entry.data.version);
    versions.set(entry.data.version, {
      licence: known?.licence ?? normaliseLicence(entry.data.license ?? entry.data.licenses),
      dev: (known?.dev ?? true) && entry.data.dev === true,
      topLevel: (known?.topLevel ?? false) || topLevel,
    });
  }
  return inventory;
}

function diffInventories(base: Inventory, head: Inventory): DependencyChange[] {
  const changes: DependencyChange[] = [];
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  for (const name of names) {
    const before = base.get(name) ?? new Map<string, Installed>();
    const after = head.get(name) ?? new Map<string, Installed>();
    const appeared = [...after.keys()].filter((version) => !before.has(version)).sort(descending);
    const disappeared = [...before.keys()].filter((version) => !after.has(version)).sort(descending);
    const pairs = Math.min(appeared.length, disappeared.length);
    for (let index = 0; index < appeared.length; index += 1) {
      const to = appeared[index] ?? '';
      const installed = after.get(to);
      const from = index < pairs ? disappeared[index] : undefined;
      changes.push({
        ecosystem: 'npm',
        name,
        change: from === undefined ? 'added' : 'changed',
        ...(from === undefined ? {} : { from }),
        to,
        kind: semverKind(from, to),
        ...(installed?.licence ? { licence: installed.licence } : {}),
        direct: installed?.topLevel ?? false,
        dev: installed?.dev ?? false,
      });
    }
    for (const from of disappeared.slice(pairs)) {
      const installed = before.get(from);
      changes.push({
        ecosystem: 'npm',
        name,
        change: 'removed',
        from,
        kind: 'none',
        direct: installed?.topLevel ?? false,
        dev: installed?.dev ?? false,
      });
    }
  }
  return changes;
}

function diffDeclared(
  base: ReadonlyMap<string, { range: string; dev: boolean }>,
  head: ReadonlyMap<string, { range: string; dev: boolean }>,
): DependencyChange[] {
  const changes: DependencyChange[] = [];
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  for (const name of names) {
    const before = base.get(name);
    const after = head.get(name);
    if (before?.range === after?.range) continue;
    const change = !before ? 'added' : !after ? 'removed' : 'changed';
    changes.push({
      ecosystem: 'npm',
      name,
      change,
      ...(before ? { from: before.range } : {}),
      ...(after ? { to: after.range } : {}),
      kind: semverKind(before?.range, after?.range),
      direct: true,
      dev: (after ?? before)?.dev ?? false,
    });
  }
  return changes;
}

/**
 * How far a version moved. A move into a prerelease counts by the release part that moved
 * (1.2.3 → 2.0.0-rc.1 is major); `prerelease` is a move within the prerelease of one release.
 * Ranges are compared by their lowest version. `none` when there is nothing to compare.
 */
export function semverKind(from: string | undefined, to: string | undefined): SemverKind {
  const low = lowestVersion(from);
  const high = lowestVersion(to);
  if (!low || !high) return 'none';
  switch (semver.diff(low, high)) {
    case 'major':
    case 'premajor':
      return 'major';
    case 'minor':
    case 'preminor':
      return 'minor';
    case 'patch':
    case 'prepatch':
      return 'patch';
    case 'prerelease':
      return 'prerelease';
    default:
      return 'none';
  }
}

/** An exact version as is; for a range (`^1.2.0`), the lowest version it allows; else `undefined`. */
export function lowestVersion(version: string | undefined): string | undefined {
  if (version === undefined) return undefined;
  const exact = semver.valid(version);
  if (exact) return exact;
  try {
    return semver.minVersion(version)?.version;
  } catch {
    return undefined;
  }
}

function descending(left: string, right: string): number {
  const a = semver.valid(left);
  const b = semver.valid(right);
  if (a && b) return semver.rcompare(a, b);
  return right.localeCompare(left);
}

/**
 * A package's declared licence as one SPDX expression: `license: "MIT"`, the legacy
 * `license: { type: "MIT" }`, or the legacy `licenses: [{ type }]` (which means any of them).
 */
export function normaliseLicence(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const parts = value.map((item) => normaliseLicence(item)).filter((item) => item !== undefined);
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }
  if (value && typeof value === 'object' && 'type' in value) return normaliseLicence(value.type);
  return undefined;
}
