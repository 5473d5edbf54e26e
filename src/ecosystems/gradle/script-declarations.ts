import type { GradleDeclaration } from './plan-bump.js';
import { placeOf } from './plan-bump.js';
import { scriptStrings, type ScriptString } from './script-strings.js';

/**
 * Declarations of `group:artifact` in a build script: `"g:a:v"` (with an optional classifier or
 * `@ext`) and the map notation `group: "g", name: "a", version: "v"` (Groovy `:` or Kotlin `=`).
 * A coordinate without a version (`"g:a"`, managed by a platform or a catalog) is not a declaration.
 */
export function scriptDeclarations(file: string, text: string, group: string, artifact: string): GradleDeclaration[] {
  const strings = scriptStrings(text);
  const found: GradleDeclaration[] = [];
  strings.forEach((item, index) => {
    const notation = stringNotation(file, text, item, group, artifact);
    if (notation) found.push(notation);
    const map = mapNotation(file, text, strings, index, group, artifact);
    if (map) found.push(map);
  });
  return found;
}

function stringNotation(file: string, text: string, item: ScriptString, group: string, artifact: string): GradleDeclaration | undefined {
  const prefix = `${group}:${artifact}:`;
  if (!item.value.startsWith(prefix)) return undefined;
  const rest = item.value.slice(prefix.length);
  const version = /^[^:@]*/.exec(rest)?.[0] ?? '';
  const start = item.contentStart + prefix.length;
  const declaration: GradleDeclaration = { file, start, end: start + version.length, value: version, where: placeOf(file, text, start) };
  if (version.includes('$')) declaration.refused = `the version of ${group}:${artifact} in ${declaration.where} is a variable (${version}): bump it where it is defined`;
  return declaration;
}

const KEY = (name: string): RegExp => new RegExp(`(?:^|[\\s,(])${name}\\s*[:=]\\s*$`);

/** `group: 'g', name: 'a', version: 'v'` starting at strings[index]. */
function mapNotation(file: string, text: string, strings: readonly ScriptString[], index: number, group: string, artifact: string): GradleDeclaration | undefined {
  const [groupString, nameString, versionString] = [strings[index], strings[index + 1], strings[index + 2]];
  if (!groupString || !nameString || groupString.value !== group || nameString.value !== artifact) return undefined;
  const before = text.slice(Math.max(0, groupString.start - 40), groupString.start);
  const between = text.slice(groupString.contentEnd + 1, nameString.start);
  if (!KEY('group').test(before) || !/^\s*,\s*name\s*[:=]\s*$/.test(between)) return undefined;
  if (!versionString || !/^\s*,\s*version\s*[:=]\s*$/.test(text.slice(nameString.contentEnd + 1, versionString.start))) return undefined;
  const declaration: GradleDeclaration = {
    file,
    start: versionString.contentStart,
    end: versionString.contentEnd,
    value: versionString.value,
    where: placeOf(file, text, versionString.contentStart),
  };
  if (versionString.value.includes('$')) declaration.refused = `the version of ${group}:${artifact} in ${declaration.where} is a variable (${versionString.value}): bump it where it is defined`;
  return declaration;
}
