import { parse, type TomlTable } from 'smol-toml';
import type { SourceFile } from './apply-plan.js';
import { scriptStrings } from './gradle/script-strings.js';
import { readGoMod } from './go/go-mod.js';
import { mavenDependencies } from './maven/plan-bump.js';
import { normalizeName, parseRequirement } from './python/requirement.js';

/**
 * Every dependency a repository's build files declare, for target facts, keyed the way each
 * ecosystem's bump step names it: Maven and Gradle `group:artifact`, Python the PEP 503-normalised
 * name, Go the module path. Values are the version or constraint as written (a Maven property and a
 * catalog `version.ref` are resolved). Unreadable files count as declaring nothing: facts must not fail
 * a campaign over a file the target's own build would reject.
 */
export function listDependencies(files: readonly SourceFile[]): Record<string, string> {
  const result: Record<string, string> = {};
  const poms = files.filter((file) => baseName(file.file) === 'pom.xml');
  if (poms.length > 0) Object.assign(result, safely(() => mavenDependencies(poms)));
  for (const file of files) {
    const name = baseName(file.file);
    if (name === 'build.gradle' || name === 'build.gradle.kts') Object.assign(result, gradleScript(file.text));
    else if (name.endsWith('.versions.toml')) Object.assign(result, safely(() => gradleCatalog(file.text)));
    else if (/^requirements.*\.txt$/.test(name) || /(^|\/)requirements\/[^/]+\.txt$/.test(file.file)) Object.assign(result, requirements(file.text));
    else if (name === 'pyproject.toml') Object.assign(result, safely(() => pyproject(file.text)));
    else if (name === 'go.mod') for (const require of readGoMod(file.text).requires) result[require.path] = require.version;
  }
  return result;
}

/** The build files {@link listDependencies} reads, by name. */
export function isEcosystemFile(path: string): boolean {
  const name = baseName(path);
  return (
    ['pom.xml', 'build.gradle', 'build.gradle.kts', 'pyproject.toml', 'go.mod'].includes(name) ||
    /^requirements.*\.txt$/.test(name) ||
    /(^|\/)requirements\/[^/]+\.txt$/.test(path) ||
    /(^|\/)gradle\/[^/]+\.versions\.toml$/.test(path)
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function safely(read: () => Record<string, string>): Record<string, string> {
  try {
    return read();
  } catch {
    return {};
  }
}

function gradleScript(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { value } of scriptStrings(text)) {
    const match = /^([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):([^:@\s]+)/.exec(value);
    if (match) result[`${match[1]}:${match[2]}`] = match[3] ?? '';
  }
  return result;
}

function gradleCatalog(text: string): Record<string, string> {
  const catalog = parse(text);
  const versions = table(catalog.versions);
  const result: Record<string, string> = {};
  for (const raw of Object.values(table(catalog.libraries))) {
    if (typeof raw === 'string') {
      const [group, artifact, version = ''] = raw.split(':');
      if (group && artifact) result[`${group}:${artifact}`] = version;
      continue;
    }
    const entry = table(raw);
    const module = typeof entry.module === 'string' ? entry.module : typeof entry.group === 'string' && typeof entry.name === 'string' ? `${entry.group}:${entry.name}` : undefined;
    if (!module) continue;
    const version = entry.version;
    const ref = table(version).ref;
    result[module] = typeof version === 'string' ? version : typeof ref === 'string' && typeof versions[ref] === 'string' ? versions[ref] : '';
  }
  return result;
}

function requirements(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const content = line.replace(/(^|\s)#.*$/, '').trim();
    if (!content || content.startsWith('-')) continue;
    const requirement = parseRequirement(content);
    if (requirement) result[requirement.normalized] = requirement.specifiers.map((item) => `${item.operator}${item.version}`).join(',');
  }
  return result;
}

function pyproject(text: string): Record<string, string> {
  const document = parse(text);
  const result: Record<string, string> = {};
  const project = table(document.project);
  const lists: unknown[] = [project.dependencies, ...Object.values(table(project['optional-dependencies'])), ...Object.values(table(document['dependency-groups']))];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const requirement = typeof item === 'string' ? parseRequirement(item) : undefined;
      if (requirement) result[requirement.normalized] = requirement.specifiers.map((specifier) => `${specifier.operator}${specifier.version}`).join(',');
    }
  }
  const poetry = table(table(document.tool).poetry);
  const groups = [poetry.dependencies, poetry['dev-dependencies'], ...Object.values(table(poetry.group)).map((group) => table(group).dependencies)];
  for (const group of groups) {
    for (const [name, value] of Object.entries(table(group))) {
      if (name === 'python') continue;
      const version = typeof value === 'string' ? value : table(value).version;
      result[normalizeName(name)] = typeof version === 'string' ? version : '';
    }
  }
  return result;
}

function table(value: unknown): TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as TomlTable) : {};
}
