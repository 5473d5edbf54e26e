import { parse, type TomlTable } from 'smol-toml';
import type { SourceFile } from '../apply-plan.js';
import { lineOf } from '../text-edit.js';
import { tomlStrings, type TomlString } from '../toml-text.js';
import { parseRequirement } from './requirement.js';
import { bumpPoetryConstraint, bumpSpecifiers, type SpecifierBump } from './specifier-bump.js';

/** One declaration of the package and what the bump would do to it. */
export interface PythonDeclaration {
  file: string;
  where: string;
  /** An exact pin (`==`, `===`, a bare Poetry version): pins must agree with each other. */
  pinned: boolean;
  bump: SpecifierBump;
}

/**
 * Every declaration of `name` (compared PEP 503-normalised) in a requirements file: one requirement per
 * line, comments and options skipped. A line with `--hash` or a continuation is refused: its hashes
 * belong to the old version and only pip-compile can write new ones.
 */
export function requirementsDeclarations(file: SourceFile, name: string, version: string): PythonDeclaration[] {
  const found: PythonDeclaration[] = [];
  let offset = 0;
  for (const line of file.text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const content = line.replace(/(^|\s)#.*$/, '').replace(/\r$/, '');
    if (!content.trim() || content.trimStart().startsWith('-')) continue;
    const requirement = parseRequirement(file.text.slice(0, start + content.length), start);
    if (requirement?.normalized !== name) continue;
    const where = `${file.file}:${lineOf(file.text, start)}`;
    if (requirement.url) {
      found.push({ file: file.file, where, pinned: false, bump: { status: 'refused', from: '', reason: `${where} installs ${name} from a URL` } });
    } else if (/--hash|\\\s*$/.test(content)) {
      found.push({ file: file.file, where, pinned: true, bump: { status: 'refused', from: requirement.specifiers[0]?.version ?? '', reason: `${where} pins ${name} with hashes: regenerate it with pip-compile --generate-hashes` } });
    } else {
      found.push({ file: file.file, where, pinned: isPin(requirement.specifiers.map((item) => item.operator)), bump: bumpSpecifiers(requirement.specifiers, version) });
    }
  }
  return found.map(withWhere);
}

/**
 * Every declaration of `name` in a pyproject.toml: PEP 621 `[project]` dependencies and optional
 * dependencies, PEP 735 `[dependency-groups]`, and Poetry's dependencies, dev-dependencies and groups.
 */
export function pyprojectDeclarations(file: SourceFile, name: string, version: string): PythonDeclaration[] {
  const document = parse(file.text);
  const strings = tomlStrings(file.text);
  const found: PythonDeclaration[] = [];
  for (const token of strings) {
    const where = `${file.file}:${lineOf(file.text, token.contentStart)}`;
    if (isPep508Path(token.path)) {
      const requirement = parseRequirement(token.value);
      if (requirement?.normalized !== name) continue;
      if (token.escaped) {
        found.push({ file: file.file, where, pinned: false, bump: { status: 'refused', from: '', reason: `${where} is written with escapes` } });
        continue;
      }
      const shifted = parseRequirement(file.text.slice(0, token.contentEnd), token.contentStart);
      const bump = requirement.url ? { status: 'refused' as const, from: '', reason: `${where} installs ${name} from a URL` } : bumpSpecifiers(shifted?.specifiers ?? [], version);
      found.push({ file: file.file, where, pinned: isPin(requirement.specifiers.map((item) => item.operator)), bump });
      continue;
    }
    const poetry = poetryDependency(token);
    if (!poetry || poetry !== name) continue;
    const bump = bumpPoetryConstraint(token.value, version);
    const shifted: SpecifierBump = bump.status === 'edit' ? { ...bump, start: bump.start + token.contentStart, end: bump.end + token.contentStart } : bump;
    found.push({ file: file.file, where, pinned: /^\s*=*\s*\d/.test(token.value), bump: token.escaped ? { status: 'refused', from: '', reason: `${where} is written with escapes` } : shifted });
  }
  for (const [section, table] of poetryTables(document)) {
    for (const [key, value] of Object.entries(table)) {
      if (Array.isArray(value) && key.toLowerCase().replace(/[-_.]+/g, '-') === name) {
        found.push({ file: file.file, where: `${file.file} ${section}`, pinned: false, bump: { status: 'refused', from: '', reason: `${file.file} ${section} declares ${name} with several constraints` } });
      }
    }
  }
  return found.map(withWhere);
}

function isPep508Path(path: readonly (string | number)[]): boolean {
  const [first, second, third, fourth] = path;
  if (first === 'project' && second === 'dependencies') return typeof third === 'number' && path.length === 3;
  if (first === 'project' && second === 'optional-dependencies') return typeof fourth === 'number' && path.length === 4;
  if (first === 'dependency-groups') return typeof third === 'number' && path.length === 3;
  return false;
}

/** The normalised name when the token is a Poetry constraint (`name = "^1"` or `name = { version = "^1" }`). */
function poetryDependency(token: TomlString): string | undefined {
  const path = token.path.map(String);
  if (path[0] !== 'tool' || path[1] !== 'poetry') return undefined;
  let rest: string[];
  if (path[2] === 'dependencies' || path[2] === 'dev-dependencies') rest = path.slice(3);
  else if (path[2] === 'group' && path[4] === 'dependencies') rest = path.slice(5);
  else return undefined;
  const [name, field] = rest;
  if (name === undefined || name === 'python') return undefined;
  if (rest.length === 1 || (rest.length === 2 && field === 'version')) return name.toLowerCase().replace(/[-_.]+/g, '-');
  return undefined;
}

function poetryTables(document: TomlTable): [string, TomlTable][] {
  const poetry = table(table(document.tool).poetry);
  const tables: [string, TomlTable][] = [
    ['[tool.poetry.dependencies]', table(poetry.dependencies)],
    ['[tool.poetry.dev-dependencies]', table(poetry['dev-dependencies'])],
  ];
  for (const [group, value] of Object.entries(table(poetry.group))) tables.push([`[tool.poetry.group.${group}.dependencies]`, table(table(value).dependencies)]);
  return tables;
}

function table(value: unknown): TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}

function isPin(operators: readonly string[]): boolean {
  return operators.length === 1 && (operators[0] === '==' || operators[0] === '===');
}

/** Puts the place into a refusal's reason when the reason does not name it yet. */
function withWhere(item: PythonDeclaration): PythonDeclaration {
  if (item.bump.status !== 'refused' || item.bump.reason.startsWith(item.file)) return item;
  return { ...item, bump: { ...item.bump, reason: `${item.where}: ${item.bump.reason}` } };
}
