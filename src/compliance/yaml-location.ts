import { isMap, isNode, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** 1-based line and column in a YAML source. */
export interface Position {
  line: number;
  column: number;
}

type Path = ReadonlyArray<PropertyKey>;

/**
 * Where a value sits in the YAML source, by its path (as zod reports it). A path that leads nowhere
 * (a missing key) points at the nearest value that exists; `key` points at a key inside that map instead
 * (an unknown key).
 */
export function positionOf(doc: Document, lines: LineCounter, path: Path, key?: string): Position | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === key);
    if (pair && isNode(pair.key) && pair.key.range) return toPosition(lines, pair.key.range[0]);
  }
  if (isNode(node) && node.range) return toPosition(lines, node.range[0]);
  return undefined;
}

/**
 * The position of a character of a string scalar, by its offset in the string's value. Every run of
 * non-blank characters of the value is found in the scalar's source in order, which maps offsets
 * exactly for plain, quoted, literal and folded scalars; past a run it cannot find (an escape
 * sequence), the scalar's start is the answer.
 */
export function positionInScalar(
  doc: Document,
  lines: LineCounter,
  source: string,
  path: Path,
  offset: number,
): Position | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) node = childOf(node, segment);
  if (!isScalar(node) || !node.range || typeof node.value !== 'string') return positionOf(doc, lines, path);
  const start = node.range[0];
  const raw = source.slice(start, node.range[1]);
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  let cursor = block ? raw.indexOf('\n') + 1 : 0;
  for (const word of node.value.matchAll(/\S+/g)) {
    const at = raw.indexOf(word[0], cursor);
    if (at < 0) break;
    if (offset < word.index + word[0].length) return toPosition(lines, start + at + Math.max(0, offset - word.index));
    cursor = at + word[0].length;
  }
  return toPosition(lines, start);
}

function childOf(node: unknown, segment: PropertyKey): Node | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
    return isNode(pair?.value) ? pair.value : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return isNode(item) ? item : undefined;
  }
  return undefined;
}

function toPosition(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
