/**
 * Turning a JSON syntax error or a schema violation into a bad-input error that names the file, the
 * line and column, and the field — what a person needs to fix their config.
 *
 * The line of a field comes from parsing the text again with `yaml` (JSON is YAML, and `yaml` keeps
 * source ranges); only on the error path, so the happy path stays a plain `JSON.parse`.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { badInput, formatLocation, type FlotillaError, type SourceLocation } from '../model/errors.js';
import { jsonErrorOffset } from './json-error-offset.js';

/** `metrics[0].analysisConfigurations.canary.direction` from zod's path. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let field = '';
  for (const part of path) {
    if (typeof part === 'number') field += `[${part}]`;
    else field += field ? `.${String(part)}` : String(part);
  }
  return field;
}

/** Line and column (1-based) of the deepest node on `path` that exists in `text`, if any. */
function positionOf(text: string, path: readonly PropertyKey[]): { line: number; column: number } | undefined {
  try {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter });
    let node: unknown = document.contents;
    let offset = (document.contents as Node | null)?.range?.[0];
    for (const part of path) {
      if (!(isMap(node) || isSeq(node))) break;
      const child: unknown = node.get(typeof part === 'number' ? part : String(part), true);
      if (child === undefined || child === null) break;
      node = child;
      offset = (child as Node).range?.[0] ?? offset;
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  } catch {
    return undefined;
  }
}

function located(reason: string, location: SourceLocation, details?: Record<string, unknown>): FlotillaError {
  return badInput(`${formatLocation(location)}: ${reason}`, location, details);
}

/** Parses JSON, or throws bad-input pointing at the position of the syntax error. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(text);
    const location: SourceLocation = { file };
    if (offset !== undefined) {
      const before = text.slice(0, offset).split('\n');
      location.line = before.length;
      location.column = (before.at(-1)?.length ?? 0) + 1;
    }
    throw located(`not valid JSON: ${message}`, location);
  }
}

/** A bad-input error for the first schema violation (all of them in `details.issues`). */
export function schemaError(error: z.ZodError, text: string, file: string): FlotillaError {
  const issues = error.issues.map((issue) => ({ field: formatFieldPath(issue.path), message: issue.message }));
  const first = error.issues[0];
  const path = first?.path ?? [];
  const location: SourceLocation = { file, ...positionOf(text, path), field: formatFieldPath(path) || undefined };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return located(`${first?.message ?? 'invalid'}${more}`, location, { issues });
}
