import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isMap, isPair, isScalar, isSeq, type Node, type Range } from 'yaml';
import { nodeAt, type YamlPath, type YamlSource } from '../config/yaml-source.js';
import type { ExpandedStep } from './apply-overrides.js';

/**
 * The campaign file as if it listed the expanded steps itself, so every check that follows (the schema,
 * unknown steps, `with` against the step's input, templates, CEL, the graph) runs unchanged and points
 * at the right place:
 * - a part the campaign wrote (an override's field, a new step) is its own YAML node, at its own line;
 * - a `with` value equal to a written preset parameter is that parameter's node in `path.with`;
 * - anything else the preset made sits at `path.with` (a `with` key) or `path.uses` (other fields).
 *
 * Only positions are borrowed: the document is new, and the source text is the file's own.
 */
export function expandedSource(source: YamlSource, steps: readonly ExpandedStep[]): YamlSource {
  const root = source.document.contents;
  if (!isMap(root)) return source;
  const usesRange = rangeAt(source, ['path', 'uses']) ?? rangeAt(source, ['path']) ?? root.range ?? [0, 0, 0];
  const withRange = rangeAt(source, ['path', 'with']) ?? usesRange;
  const params = paramNodes(source);
  const paramNode = (value: unknown): Node | undefined => params.get(JSON.stringify(value));

  const entryMap = (entry: number | undefined): YAMLMap | undefined => {
    if (entry === undefined) return undefined;
    const found = nodeAt(source, ['steps', entry]);
    return found.exact && isMap(found.node) ? found.node : undefined;
  };

  const withNode = (step: ExpandedStep, value: Record<string, unknown>, own: YAMLMap | undefined): YAMLMap => {
    const map = new YAMLMap();
    map.range = own?.range ?? withRange;
    for (const [key, item] of Object.entries(value)) {
      const written = own && step.withKeys.has(key) ? pairOf(own, key) : undefined;
      map.items.push(written ?? new Pair(scalar(key, withRange), paramNode(item) ?? generated(item, withRange)));
    }
    return map;
  };

  const stepNode = (step: ExpandedStep): YAMLMap => {
    const entry = entryMap(step.entry);
    const map = new YAMLMap();
    map.range = entry?.range ?? usesRange;
    for (const [field, value] of Object.entries(step.value)) {
      const written = entry && step.fields.has(field) ? pairOf(entry, field) : undefined;
      if (field === 'with' && isRecord(value)) {
        const own = written && isMap(written.value) ? written.value : undefined;
        map.items.push(new Pair(written?.key ?? scalar(field, withRange), withNode(step, value, own)));
      } else {
        map.items.push(written ?? new Pair(scalar(field, usesRange), generated(value, usesRange)));
      }
    }
    return map;
  };

  const sequence = new YAMLSeq();
  sequence.range = rangeAt(source, ['steps']) ?? rangeAt(source, ['path']) ?? usesRange;
  for (const step of steps) sequence.items.push(stepNode(step));

  const stepsPair = pairOf(root, 'steps');
  const pathPair = pairOf(root, 'path');
  const stepsKey = stepsPair?.key ?? scalar('steps', pathPair?.key.range ?? usesRange);
  const contents = new YAMLMap();
  contents.range = root.range;
  for (const pair of root.items) if (pair !== stepsPair) contents.items.push(pair);
  contents.items.push(new Pair(stepsKey, sequence));

  const document = new Document();
  document.contents = contents;
  const value = { ...(source.value as Record<string, unknown>), steps: steps.map((step) => step.value) };
  return { ...source, document: document as unknown as Document.Parsed, value };
}

/** Each written parameter's node, by its value (as JSON), so a step value taken from it points at it. */
function paramNodes(source: YamlSource): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const found = nodeAt(source, ['path', 'with']);
  if (!found.exact || !isMap(found.node)) return nodes;
  for (const pair of found.node.items) {
    if (!isScalar(pair.key) || !pair.value) continue;
    const value = (pair.value as Node).toJSON() as unknown;
    const key = JSON.stringify(value);
    if (!nodes.has(key)) nodes.set(key, pair.value as Node);
  }
  return nodes;
}

function rangeAt(source: YamlSource, path: YamlPath): Range | undefined {
  const found = nodeAt(source, path);
  return found.exact ? (found.node?.range ?? undefined) : undefined;
}

function pairOf(map: YAMLMap, key: string): Pair<Node, Node> | undefined {
  return map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair<Node, Node> | undefined;
}

function scalar(value: string, range: Range): Scalar {
  const node = new Scalar(value);
  node.range = [...range];
  return node;
}

const factory = new Document();

/** A node for a value the preset made, placed at `range` (every nested node too). */
function generated(value: unknown, range: Range): Node {
  const node = factory.createNode(value);
  place(node, range);
  return node;
}

function place(node: unknown, range: Range): void {
  if (isPair(node)) {
    place(node.key, range);
    place(node.value, range);
    return;
  }
  if (isScalar(node) || isMap(node) || isSeq(node)) node.range = [...range];
  if (isMap(node) || isSeq(node)) for (const item of node.items) place(item, range);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
