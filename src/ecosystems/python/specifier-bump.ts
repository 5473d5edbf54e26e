import { compareLoose } from '../version-kind.js';
import type { Specifier } from './requirement.js';

/** What a bump does to one declaration's version constraint. */
export type SpecifierBump =
  | { status: 'edit'; from: string; start: number; end: number; text: string }
  | { status: 'unpinned' }
  | { status: 'refused'; from: string; reason: string };

/**
 * Moves a PEP 440 specifier set to `version`, keeping its style: `==2.31.0` stays a pin, `>=2.31` a
 * floor, `~=2.31` a compatible release (with as many parts as before, when that is exact). An upper
 * bound is kept when the new version is below it; a set with no single version to move (`<3` alone,
 * `==2.*`, `>2`, two floors), an upper bound the new version passes, or an exclusion of it is refused.
 */
export function bumpSpecifiers(specifiers: readonly Specifier[], version: string): SpecifierBump {
  if (specifiers.length === 0) return { status: 'unpinned' };
  const movable = specifiers.filter((item) => ['==', '===', '>=', '~='].includes(item.operator));
  const text = specifiers.map((item) => `${item.operator}${item.version}`).join(',');
  const first = movable[0];
  if (!first || movable.length > 1) return { status: 'refused', from: first?.version ?? '', reason: `"${text}" has no single version to move` };
  if (first.version.includes('*')) return { status: 'refused', from: first.version, reason: `"${text}" is a wildcard, not one version` };
  if ((first.operator === '==' || first.operator === '===') && specifiers.length > 1) {
    return { status: 'refused', from: first.version, reason: `"${text}" pins and bounds at once` };
  }
  for (const other of specifiers) {
    if (other === first) continue;
    const order = compareLoose(version, other.version);
    const allowed =
      (other.operator === '<' && order === -1) || (other.operator === '<=' && order !== undefined && order <= 0) || (other.operator === '!=' && order !== 0 && order !== undefined);
    if (!allowed) return { status: 'refused', from: first.version, reason: `"${text}" does not allow ${version}: its bounds must move too` };
  }
  let next = version;
  if (first.operator === '~=') {
    const parts = first.version.split('.').length;
    const wanted = version.split('.');
    if (wanted.length > parts && wanted.slice(parts).every((part) => part === '0')) next = wanted.slice(0, parts).join('.');
    else if (wanted.length !== parts) return { status: 'refused', from: first.version, reason: `"${text}" has ${parts} parts and ${version} cannot keep them` };
  }
  return { status: 'edit', from: first.version, start: first.start, end: first.end, text: next };
}

/**
 * Moves a Poetry constraint (`^2.31`, `~2.31.0`, `2.31.0`, `>=2.31,<3.0`) the same way; `*`, `||`
 * alternatives and wildcards are refused.
 */
export function bumpPoetryConstraint(constraint: string, version: string): SpecifierBump {
  const trimmed = constraint.trim();
  const leading = constraint.length - constraint.trimStart().length;
  if (trimmed === '*' || trimmed.includes('||') || trimmed.includes('*')) {
    return { status: 'refused', from: '', reason: `"${constraint}" has no single version to move` };
  }
  const simple = /^(\^|~(?!=)|)\s*(\d[0-9A-Za-z.+!-]*)$/.exec(trimmed);
  if (simple?.[2]) {
    const start = leading + trimmed.length - simple[2].length;
    return { status: 'edit', from: simple[2], start, end: start + simple[2].length, text: version };
  }
  const specifiers: Specifier[] = [];
  const pattern = /(~=|===|==|!=|<=|>=|<|>)\s*([^\s,]+)/g;
  for (const match of constraint.matchAll(pattern)) {
    const value = match[2] ?? '';
    const start = match.index + match[0].length - value.length;
    specifiers.push({ operator: match[1] as Specifier['operator'], version: value, start, end: start + value.length });
  }
  if (specifiers.length === 0) return { status: 'refused', from: '', reason: `"${constraint}" is not a version constraint Flotilla can read` };
  return bumpSpecifiers(specifiers, version);
}
