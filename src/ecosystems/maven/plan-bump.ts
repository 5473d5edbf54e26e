import type { FileEdits, SourceFile } from '../apply-plan.js';
import { PLAIN_VERSION, type BumpPlan } from '../bump-output.js';
import { lineOf } from '../text-edit.js';
import { readPom, type Pom, type PomText } from './pom.js';


interface Parsed extends SourceFile {
  pom: Pom;
}

/** Where a declaration's version lives: in the dependency itself or in a property. */
interface VersionSource {
  value: string;
  file: string;
  span: PomText;
  where: string;
}

/**
 * Plans a Maven bump over every pom.xml of a repository (a multi-module build is one build): each
 * declaration of `groupId:artifactId` with a version — in dependencies, dependencyManagement, profiles or
 * plugin dependencies — moves to `version`, either in place or in the `<properties>` entry it names.
 *
 * It refuses (with the reason a person needs) rather than guess when: the version is a range or an
 * expression; the property is defined outside the repository, more than once, or also used by anything
 * else (another dependency, a plugin); declarations disagree on the current version; or every
 * declaration takes its version from a parent POM or BOM outside the repository.
 */
export function planMavenBump(files: readonly SourceFile[], groupId: string, artifactId: string, version: string): BumpPlan<FileEdits> {
  const parsed: Parsed[] = files.map((file) => ({ ...file, pom: readPom(file.text) }));
  const sources: VersionSource[] = [];
  let declared = false;
  for (const { file, text, pom } of parsed) {
    for (const dependency of pom.dependencies) {
      if (dependency.groupId !== groupId || dependency.artifactId !== artifactId) continue;
      declared = true;
      const where = `${file}:${lineOf(text, dependency.version?.start ?? 0)} (${dependency.section})`;
      if (dependency.unreadableVersion) return refused(`the version of ${groupId}:${artifactId} in ${where} is not plain text`, '');
      if (!dependency.version) continue;
      const source = versionSource(parsed, file, dependency.version, where, `${groupId}:${artifactId}`);
      if ('refused' in source) return refused(source.refused, dependency.version.value);
      sources.push(source);
    }
  }
  if (!declared) return { status: 'absent' };
  const first = sources[0];
  if (!first) {
    return refused(`the version of ${groupId}:${artifactId} is managed outside this repository (a parent POM or a BOM): bump it there`, '');
  }
  const conflicting = sources.find((source) => source.value !== first.value);
  if (conflicting) {
    return refused(
      `${groupId}:${artifactId} is declared at ${first.value} in ${first.where} and at ${conflicting.value} in ${conflicting.where}: decide which one by hand`,
      first.value,
    );
  }
  if (first.value === version) return { status: 'current', from: first.value };
  const edits: FileEdits = new Map();
  for (const source of sources) {
    const list = edits.get(source.file) ?? [];
    list.push({ start: source.span.start, end: source.span.end, text: version });
    edits.set(source.file, list);
  }
  return { status: 'edit', from: first.value, edits };
}

function versionSource(parsed: readonly Parsed[], file: string, version: PomText, where: string, coordinates: string): VersionSource | { refused: string } {
  const reference = /^\$\{([^}]+)\}$/.exec(version.value);
  if (!reference) {
    if (version.value.includes('${')) return { refused: `the version of ${coordinates} in ${where} is an expression (${version.value}): bump it by hand` };
    if (!PLAIN_VERSION.test(version.value)) return { refused: `the version of ${coordinates} in ${where} is "${version.value}", a range or a dynamic version, not one version to move` };
    return { value: version.value, file, span: version, where };
  }
  const name = reference[1] ?? '';
  const definitions = parsed.flatMap((item) => item.pom.properties.filter((property) => property.name === name).map((property) => ({ item, property })));
  const definition = definitions[0];
  if (!definition) return { refused: `the version of ${coordinates} comes from \${${name}}, which is not defined in this repository (a parent POM or a built-in): bump it there` };
  if (definitions.length > 1) return { refused: `the version of ${coordinates} comes from \${${name}}, which is defined ${definitions.length} times (profiles or modules): decide which by hand` };
  const value = definition.property.value;
  if (!value || !PLAIN_VERSION.test(value.value)) {
    return { refused: `the version of ${coordinates} comes from \${${name}}, whose value is not one plain version: bump it by hand` };
  }
  const other = otherUse(parsed, name, coordinates);
  if (other) return { refused: `the version of ${coordinates} comes from \${${name}}, which also sets ${other}: bump them together by hand or give ${coordinates} its own property` };
  const definitionWhere = `${definition.item.file}:${lineOf(definition.item.text, value.start)} (<properties>)`;
  return { value: value.value, file: definition.item.file, span: value, where: definitionWhere };
}

/** A use of `${name}` that is not the version of `coordinates`, described; undefined when there is none. */
function otherUse(parsed: readonly Parsed[], name: string, coordinates: string): string | undefined {
  for (const { file, text, pom } of parsed) {
    for (const reference of pom.references) {
      if (reference.name !== name) continue;
      const owner = pom.dependencies.find((dependency) => dependency.version && dependency.version.start <= reference.start && reference.end <= dependency.version.end);
      if (owner && `${owner.groupId}:${owner.artifactId}` === coordinates) continue;
      return owner ? `the version of ${owner.groupId}:${owner.artifactId}` : `something else at ${file}:${lineOf(text, reference.start)}`;
    }
  }
  return undefined;
}

function refused(reason: string, from: string): BumpPlan<FileEdits> {
  return { status: 'refused', reason, from };
}

/** Every dependency with a resolvable version, `groupId:artifactId` → version, for target facts. */
export function mavenDependencies(files: readonly SourceFile[]): Record<string, string> {
  const parsed: Parsed[] = files.map((file) => ({ ...file, pom: readPom(file.text) }));
  const result: Record<string, string> = {};
  for (const { pom } of parsed) {
    for (const dependency of pom.dependencies) {
      const key = `${dependency.groupId}:${dependency.artifactId}`;
      const written = dependency.version?.value;
      if (written === undefined) {
        result[key] ??= '';
        continue;
      }
      const name = /^\$\{([^}]+)\}$/.exec(written)?.[1];
      const resolved = name === undefined ? undefined : parsed.flatMap((item) => item.pom.properties).find((property) => property.name === name)?.value?.value;
      result[key] = resolved ?? written;
    }
  }
  return result;
}
