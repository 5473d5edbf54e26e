import semver from 'semver';

/**
 * How a dependency's version is written in package.json, so a bump can keep the team's choice:
 * `^1.2.3` stays a caret range, `~1.2.3` a tilde range, `1.2.3` an exact pin, `>=1.2.3` a floor.
 * Anything else (`1.x`, `*`, `latest`, `>=1 <2`, `a || b`, git, file, url, alias and workspace
 * specs) has no single version to move, so the bump refuses it rather than guess.
 */

export type RangeOperator = '^' | '~' | '>=' | '=' | '';

export interface RangeStyle {
  operator: RangeOperator;
  /** The version the range starts from (its minimum). */
  version: string;
}

const SIMPLE_RANGE = /^(\^|~|>=|=)?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$/;

/** The operator and version of a simple range, or a sentence saying why it is not one. */
export function parseRangeStyle(spec: string): RangeStyle | { refused: string } {
  const match = SIMPLE_RANGE.exec(spec.trim());
  const version = match?.[2];
  if (match && version !== undefined && semver.valid(version) !== null) {
    return { operator: (match[1] ?? '') as RangeOperator, version };
  }
  return { refused: `"${spec}" is ${describeSpec(spec)}, not a ^, ~, >= or exact version` };
}

/** The same range style, moved to `version`. */
export function formatRange(style: RangeStyle, version: string): string {
  return `${style.operator}${version}`;
}

function describeSpec(spec: string): string {
  if (/^(git\+|git:|github:|gitlab:|bitbucket:)/.test(spec) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec)) return 'a git spec';
  if (/^(file:|link:|\.{0,2}\/)/.test(spec)) return 'a local path spec';
  if (/^https?:/.test(spec)) return 'a url spec';
  if (spec.startsWith('npm:')) return 'an alias spec';
  if (spec.startsWith('workspace:')) return 'a workspace spec';
  if (semver.validRange(spec) !== null) return 'a range with no single version to move';
  return 'a tag or an unknown spec';
}
