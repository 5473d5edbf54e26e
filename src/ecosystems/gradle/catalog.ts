import type { TomlTable } from 'smol-toml';
import { findTomlString, type TomlString } from '../toml-text.js';
import type { GradleDeclaration } from './plan-bump.js';

type Entry = string | TomlTable;

/**
 * Declarations of `group:artifact` in a Gradle version catalog: a library written `"g:a:v"`, or as a
 * table (`module = "g:a"` or `group`/`name`) with `version = "v"` or `version.ref = "key"` into
 * `[versions]`. A `[versions]` key that another library or a plugin also refers to is refused: moving it
 * would move them too.
 */
export function catalogDeclarations(file: string, catalog: TomlTable, strings: readonly TomlString[], group: string, artifact: string): GradleDeclaration[] {
  const libraries = tableOf(catalog.libraries);
  const found: GradleDeclaration[] = [];
  for (const [alias, raw] of Object.entries(libraries)) {
    const entry = raw as Entry;
    if (typeof entry === 'string') {
      const prefix = `${group}:${artifact}:`;
      if (!entry.startsWith(prefix)) continue;
      const token = findTomlString(strings, ['libraries', alias]);
      if (token) found.push(declarationIn(file, token, `[libraries] ${alias}`, prefix.length, entry.slice(prefix.length)));
      continue;
    }
    if (typeof entry !== 'object' || !matches(entry, group, artifact)) continue;
    const declaration = versionOf(file, catalog, strings, alias, entry, `${group}:${artifact}`);
    if (declaration) found.push(declaration);
  }
  return found;
}

function matches(entry: TomlTable, group: string, artifact: string): boolean {
  if (typeof entry.module === 'string') return entry.module === `${group}:${artifact}`;
  return entry.group === group && entry.name === artifact;
}

function versionOf(file: string, catalog: TomlTable, strings: readonly TomlString[], alias: string, entry: TomlTable, coordinates: string): GradleDeclaration | undefined {
  const version = entry.version;
  const where = `${file} [libraries] ${alias}`;
  if (version === undefined) return undefined;
  if (typeof version === 'string') {
    const token = findTomlString(strings, ['libraries', alias, 'version']);
    return token ? declarationIn(file, token, `[libraries] ${alias}`, 0, version) : unlocatable(file, where, version);
  }
  const table = tableOf(version);
  const ref = table.ref;
  if (typeof ref !== 'string') {
    return { file, start: 0, end: 0, value: JSON.stringify(table), where, refused: `${coordinates} in ${where} has a rich version (${Object.keys(table).join(', ')}): bump it by hand` };
  }
  const versions = tableOf(catalog.versions);
  const value = versions[ref];
  const refWhere = `${file} [versions] ${ref}`;
  if (typeof value !== 'string') {
    const refused = value === undefined ? `[versions] has no ${ref}` : `[versions] ${ref} is a rich version`;
    return { file, start: 0, end: 0, value: '', where: refWhere, refused: `${coordinates} takes its version from ${ref}, but ${refused}: bump it by hand` };
  }
  const sharers = usersOf(catalog, ref).filter((user) => user !== `libraries ${alias}` && !sameLibrary(catalog, user, entry));
  const token = findTomlString(strings, ['versions', ref]);
  const declaration = token ? declarationIn(file, token, `[versions] ${ref}`, 0, value) : unlocatable(file, refWhere, value);
  if (sharers.length > 0) {
    declaration.refused = `${coordinates} takes its version from [versions] ${ref}, which ${sharers.join(', ')} also use: bump them together by hand or give ${coordinates} its own version`;
  }
  return declaration;
}

/** Every library and plugin whose version.ref is `ref`, as `libraries alias` / `plugins alias`. */
function usersOf(catalog: TomlTable, ref: string): string[] {
  const users: string[] = [];
  for (const section of ['libraries', 'plugins'] as const) {
    for (const [alias, raw] of Object.entries(tableOf(catalog[section]))) {
      const entry = raw as Entry;
      if (typeof entry === 'object' && tableOf(entry.version).ref === ref) users.push(`${section} ${alias}`);
    }
  }
  return users;
}

function sameLibrary(catalog: TomlTable, user: string, entry: TomlTable): boolean {
  const [section, alias = ''] = user.split(' ');
  if (section !== 'libraries') return false;
  const other = tableOf(catalog.libraries)[alias] as Entry | undefined;
  if (typeof other !== 'object') return false;
  const coordinates = (item: TomlTable): string =>
    typeof item.module === 'string' ? item.module : `${typeof item.group === 'string' ? item.group : ''}:${typeof item.name === 'string' ? item.name : ''}`;
  return coordinates(other) === coordinates(entry);
}

function declarationIn(file: string, token: TomlString, label: string, offset: number, value: string): GradleDeclaration {
  const start = token.contentStart + offset;
  const declaration: GradleDeclaration = { file, start, end: start + value.length, value, where: `${file} ${label}` };
  if (token.escaped) declaration.refused = `${file} ${label} is written with escapes: bump it by hand`;
  return declaration;
}

function unlocatable(file: string, where: string, value: string): GradleDeclaration {
  return { file, start: 0, end: 0, value, where, refused: `${where} is written in a form Flotilla cannot edit in place (dotted keys across lines): bump it by hand` };
}

function tableOf(value: unknown): TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}
