import semver from 'semver';

/** How far a bump goes, in the words the confidence model knows (the same as npm/bump-dependency's). */
export type BumpKind = 'major' | 'minor' | 'patch' | 'prerelease' | 'none';

/** A version's numeric core (one to three parts) and what follows it (`-jre`, `.Final`, `rc1`). */
const LOOSE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:[-.+_]?)[A-Za-z][0-9A-Za-z.+_-]*|[-+][0-9A-Za-z.+_-]*)?$/;
const PRE_RELEASE = /(alpha|beta|rc|cr|snapshot|dev|pre|preview|milestone|^[-.]?a\d|^[-.]?b\d|^[-.]?m\d)/i;

/**
 * The kind of a bump between two versions of any ecosystem. Semver versions (with or without Go's `v`)
 * use `semver.diff`. Maven and Python versions are often not semver (`31.1-jre`, `2.0.Final`, `1.0rc1`,
 * `2.31`): they are compared on a numeric core of up to three parts only when both carry the same
 * qualifier, a move to a pre-release qualifier is `prerelease`, and anything else (four-part versions,
 * different qualifiers) is `none` — unknown — rather than a guess.
 */
export function versionBumpKind(from: string, to: string): BumpKind {
  const a = semver.valid(from.replace(/^v/, ''));
  const b = semver.valid(to.replace(/^v/, ''));
  if (a !== null && b !== null) return semverKind(a, b);
  const left = looseParts(from);
  const right = looseParts(to);
  if (!left || !right) return 'none';
  if (left.qualifier.toLowerCase() !== right.qualifier.toLowerCase()) {
    return right.qualifier !== '' && PRE_RELEASE.test(right.qualifier) ? 'prerelease' : 'none';
  }
  return semverKind(left.core, right.core);
}

function semverKind(from: string, to: string): BumpKind {
  const difference = semver.diff(from, to);
  if (difference === null) return 'none';
  if (difference === 'major' || difference === 'minor' || difference === 'patch') return difference;
  return 'prerelease';
}

function looseParts(version: string): { core: string; qualifier: string } | undefined {
  const match = LOOSE.exec(version.trim());
  if (!match) return undefined;
  const core = `${match[1] ?? '0'}.${match[2] ?? '0'}.${match[3] ?? '0'}`;
  return { core, qualifier: match[4] ?? '' };
}

/**
 * Compares two versions loosely (numeric parts first, then qualifiers as text); for warnings such as
 * "the bump goes down" and for checking a new version against an upper bound. Undefined when unsure.
 */
export function compareLoose(a: string, b: string): number | undefined {
  const left = numericParts(a);
  const right = numericParts(b);
  if (!left || !right) return undefined;
  for (let index = 0; index < Math.max(left.numbers.length, right.numbers.length); index++) {
    const difference = (left.numbers[index] ?? 0) - (right.numbers[index] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.rest === right.rest) return 0;
  if (left.rest === '') return PRE_RELEASE.test(right.rest) ? 1 : undefined;
  if (right.rest === '') return PRE_RELEASE.test(left.rest) ? -1 : undefined;
  return undefined;
}

function numericParts(version: string): { numbers: number[]; rest: string } | undefined {
  const match = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(version.trim());
  if (!match?.[1]) return undefined;
  return { numbers: match[1].split('.').map(Number), rest: match[2] ?? '' };
}
