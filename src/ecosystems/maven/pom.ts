import { child, descendants, parseXml, textSpan, type XmlElement } from './xml-elements.js';

/** A text value of a pom.xml and where it is. */
export interface PomText {
  value: string;
  start: number;
  end: number;
}

export interface PomDependency {
  groupId: string;
  artifactId: string;
  /** Absent when the version is managed (dependencyManagement, a parent POM, a BOM). */
  version: PomText | undefined;
  /** Where it is declared: `dependencies`, `dependencyManagement`, `profile dependencies`, `plugin dependencies`. */
  section: string;
  /** The version element exists but holds markup or an entity: it cannot be edited as text. */
  unreadableVersion: boolean;
}

export interface PomProperty {
  name: string;
  value: PomText | undefined;
}

/** A `${name}` outside comments. */
export interface PropertyReference {
  name: string;
  start: number;
  end: number;
}

export interface Pom {
  dependencies: PomDependency[];
  properties: PomProperty[];
  references: PropertyReference[];
}

/** The dependencies, properties and property references of a pom.xml text. */
export function readPom(text: string): Pom {
  const document = parseXml(text);
  const project = document.root.children.find((element) => element.name === 'project');
  const pom: Pom = { dependencies: [], properties: [], references: [] };
  if (!project) return pom;
  for (const element of descendants(project)) {
    if (element.name === 'dependency' && element.parent?.name === 'dependencies') {
      const dependency = readDependency(text, element);
      if (dependency) pom.dependencies.push(dependency);
    } else if (element.name === 'properties' && (element.parent === project || element.parent?.name === 'profile')) {
      for (const property of element.children) pom.properties.push({ name: property.name, value: textSpan(text, property) });
    }
  }
  for (const match of text.matchAll(/\$\{([^}]+)\}/g)) {
    const start = match.index;
    if (document.skipped.some((range) => start >= range.start && start < range.end)) continue;
    pom.references.push({ name: match[1] ?? '', start, end: start + match[0].length });
  }
  return pom;
}

function readDependency(text: string, element: XmlElement): PomDependency | undefined {
  const groupId = leafValue(text, child(element, 'groupId'));
  const artifactId = leafValue(text, child(element, 'artifactId'));
  if (groupId === undefined || artifactId === undefined) return undefined;
  const versionElement = child(element, 'version');
  const version = versionElement ? textSpan(text, versionElement) : undefined;
  return {
    groupId,
    artifactId,
    version,
    section: sectionOf(element),
    unreadableVersion: versionElement !== undefined && version === undefined,
  };
}

function leafValue(text: string, element: XmlElement | undefined): string | undefined {
  return element ? textSpan(text, element)?.value : undefined;
}

function sectionOf(dependency: XmlElement): string {
  const owner = dependency.parent?.parent;
  if (owner?.name === 'dependencyManagement') return owner.parent?.name === 'profile' ? 'profile dependencyManagement' : 'dependencyManagement';
  if (owner?.name === 'plugin') return 'plugin dependencies';
  if (owner?.name === 'profile') return 'profile dependencies';
  return 'dependencies';
}
