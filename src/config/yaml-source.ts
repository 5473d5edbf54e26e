import { readFile } from 'node:fs/promises';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { FlotillaError } from '../model/errors.js';
import { badInputAt, formatFieldPath, type ExpressionSite } from '../expr/site.js';

/**
 * A YAML file parsed with its positions kept, so that every later check (schema, step inputs, CEL) can
 * point at the line and column the user has to change.
 */
export interface YamlSource {
  /** The file name as shown to the user (as given, not resolved). */
  file: string;
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain JS value of the document (`null` for an empty file). */
  value: unknown;
}

/** 1-based, as editors show them. */
export interface Position {
  line: number;
  column: number;
}

export type YamlPath = readonly PropertyKey[];

/** Parses YAML text; malformed YAML is a `bad-input` error at the parser's line and column, in its words. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problem = document.errors[0];
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.pos[0]);
    throw badInputAt(`invalid YAML: ${problem.message}`, { file, line, column: col }, { yamlCode: problem.code });
  }
  return { file, text, document, lineCounter, value: document.toJS({ maxAliasCount: 100 }) as unknown };
}

/** Reads and parses a YAML file; a missing file is `not-found`. `display` is the name used in messages. */
export async function readYamlSource(path: string, display: string = path): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FlotillaError('not-found', `file not found: ${display}`, { location: { file: display } });
    throw new FlotillaError('bad-input', `cannot read ${display}: ${(error as Error).message}`, { cause: error, location: { file: display } });
  }
  return parseYamlSource(text, display);
}

/** The node at `path`, or the deepest node that exists on the way (for a missing key: its map). */
export function nodeAt(source: YamlSource, path: YamlPath): { node: Node | undefined; exact: boolean; keyNode?: Node } {
  let node = resolve(source, source.document.contents);
  let keyNode: Node | undefined;
  for (const key of path) {
    let next: Node | undefined;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (pair) {
        keyNode = pair.key as Node;
        next = resolve(source, pair.value as Node | null) ?? keyNode;
      }
    } else if (isSeq(node) && Number.isInteger(Number(key))) {
      next = resolve(source, node.items[Number(key)] as Node | undefined);
    }
    if (!next) return { node, exact: false };
    node = next;
  }
  return keyNode ? { node, exact: true, keyNode } : { node, exact: true };
}

/** Where the value at `path` starts (or its nearest existing parent). */
export function positionOf(source: YamlSource, path: YamlPath): Position {
  return offsetPosition(source, nodeAt(source, path).node?.range?.[0] ?? 0);
}

/** Where the key of the last element of `path` is written (for unknown keys); the value's place otherwise. */
export function keyPositionOf(source: YamlSource, path: YamlPath): Position {
  const found = nodeAt(source, path);
  const node = found.keyNode ?? found.node;
  return offsetPosition(source, node?.range?.[0] ?? 0);
}

export function offsetPosition(source: YamlSource, offset: number): Position {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * An expression site for the string scalar at `path`: the file, the field, the scalar's position, and a
 * mapping from an offset inside the string to its place in the file. `base` is added to offsets (a
 * template's expression starts inside the string).
 *
 * The mapping anchors every run of non-blank characters of the value in the scalar's source text, in
 * order. That works for plain, quoted (without escapes), literal and folded scalars alike; after the
 * first word it cannot find (an escape sequence), offsets fall back to the scalar's start.
 */
export function siteAt(source: YamlSource, path: YamlPath, base = 0): ExpressionSite {
  const { node } = nodeAt(source, path);
  const start = node?.range?.[0] ?? 0;
  const site: ExpressionSite = { file: source.file, field: formatFieldPath(path), ...offsetPosition(source, start) };
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return site;
  const anchors = anchorWords(source, node.value, start, node.range[1], node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
  site.positionAt = (offset: number) => {
    const wanted = offset + base;
    const anchor = anchors.find((entry) => wanted < entry.valueStart + entry.length);
    if (!anchor) return undefined;
    const delta = Math.max(0, wanted - anchor.valueStart);
    return offsetPosition(source, anchor.sourceStart + delta);
  };
  return site;
}

interface Anchor {
  valueStart: number;
  sourceStart: number;
  length: number;
}

function anchorWords(source: YamlSource, value: string, start: number, end: number, block: boolean): Anchor[] {
  const raw = source.text.slice(start, end);
  const anchors: Anchor[] = [];
  let cursor = block ? raw.indexOf('\n') + 1 : 0;
  for (const match of value.matchAll(/\S+/g)) {
    const at = raw.indexOf(match[0], cursor);
    if (at < 0) break;
    anchors.push({ valueStart: match.index, sourceStart: start + at, length: match[0].length });
    cursor = at + match[0].length;
  }
  return anchors;
}

function resolve(source: YamlSource, node: Node | null | undefined): Node | undefined {
  if (!node) return undefined;
  if (isAlias(node)) return (node.resolve(source.document)) ?? node;
  return node;
}
