import { compileExpression, stepReferences, type ConditionScope, type StepReference } from './cel.js';
import { badInputAt, formatFieldPath, locationAt, type ExpressionSite } from './site.js';

/**
 * `${{ expr }}` templates in a step's `with:` values. The inside is a CEL expression over the same scope
 * as `if:` conditions (`steps`, `target`, `campaign`). A string that is exactly one template keeps the
 * value's type (`${{ steps.count.outputs.n }}` gives a number, a list stays a list); anywhere else the
 * results are turned into text. There is no escape: a literal `${{` cannot be written (not needed so far).
 */

const OPEN = '${{';
const CLOSE = '}}';

/** One template found in a string value; `offset` is where the trimmed expression starts in the string. */
export interface TemplateOccurrence {
  /** The path of the string inside the searched value (keys and indices). */
  path: (string | number)[];
  text: string;
  expression: string;
  offset: number;
  /** Set when the template is malformed (no closing `}}`, nothing inside). */
  error?: string;
}

/** A step reference inside a template; `offset` and `outputOffset` count from the start of the string. */
export interface TemplateReference extends StepReference {
  path: (string | number)[];
}

type Part = { text: string } | { expression: string; offset: number };

/** True when `value` is a string that contains a template (its value is only known at run time). */
export function isTemplated(value: unknown): value is string {
  return typeof value === 'string' && value.includes(OPEN);
}

/** Every template in `value` (deep over objects and arrays), in document order. */
export function findTemplates(value: unknown, path: (string | number)[] = []): TemplateOccurrence[] {
  if (typeof value === 'string') {
    if (!value.includes(OPEN)) return [];
    const found: TemplateOccurrence[] = [];
    const { parts, error } = splitTemplate(value);
    for (const part of parts) {
      if ('expression' in part) found.push({ path, text: value, expression: part.expression, offset: part.offset });
    }
    if (error) found.push({ path, text: value, expression: '', offset: error.offset, error: error.reason });
    return found;
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findTemplates(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => findTemplates(item, [...path, key]));
  }
  return [];
}

/** Every `steps.<id>[.outputs.<key>]` used by the templates in `value`, for the load-time check. */
export function findTemplateReferences(value: unknown): TemplateReference[] {
  const references: TemplateReference[] = [];
  for (const template of findTemplates(value)) {
    if (template.error) continue;
    for (const reference of stepReferences(template.expression)) {
      references.push({
        ...reference,
        path: template.path,
        offset: template.offset + reference.offset,
        ...(reference.outputOffset === undefined ? {} : { outputOffset: template.offset + reference.outputOffset }),
      });
    }
  }
  return references;
}

/**
 * Replaces every template in `value` (deep over objects and arrays) with its value in `scope`. `where`
 * names the field for error messages (`steps[2].with`); the path inside it is appended.
 */
export function interpolate(value: Record<string, unknown>, scope: ConditionScope, where?: ExpressionSite): Record<string, unknown>;
export function interpolate(value: unknown, scope: ConditionScope, where?: ExpressionSite): unknown;
export function interpolate(value: unknown, scope: ConditionScope, where: ExpressionSite = {}): unknown {
  return interpolateAt(value, scope, where, []);
}

function interpolateAt(value: unknown, scope: ConditionScope, where: ExpressionSite, path: (string | number)[]): unknown {
  if (typeof value === 'string') return value.includes(OPEN) ? interpolateString(value, scope, fieldSite(where, path)) : value;
  if (Array.isArray(value)) return value.map((item, index) => interpolateAt(item, scope, where, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = interpolateAt(item, scope, where, [...path, key]);
    return result;
  }
  return value;
}

function interpolateString(text: string, scope: ConditionScope, where: ExpressionSite): unknown {
  const { parts, error } = splitTemplate(text);
  if (error) throw badInputAt(error.reason, locationAt(where));
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only && 'expression' in only) return evaluate(only.expression, scope, where);
  let result = '';
  for (const part of parts) result += 'text' in part ? part.text : stringify(evaluate(part.expression, scope, where));
  return result;
}

/** Compiles on each use: parsing is microseconds, and the error location must be this site's. */
function evaluate(expression: string, scope: ConditionScope, where: ExpressionSite): unknown {
  return compileExpression(expression, where)(scope);
}

/** Splits a string into literal text and template expressions; blanks around a lone template are dropped. */
function splitTemplate(text: string): { parts: Part[]; error?: { offset: number; reason: string } } {
  const parts: Part[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const open = text.indexOf(OPEN, cursor);
    if (open < 0) break;
    if (open > cursor) parts.push({ text: text.slice(cursor, open) });
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) return { parts, error: { offset: open, reason: `unclosed template: "${OPEN}" without "${CLOSE}"` } };
    const raw = text.slice(open + OPEN.length, close);
    const expression = raw.trim();
    if (!expression) return { parts, error: { offset: open, reason: `empty template "${text.slice(open, close + CLOSE.length)}"` } };
    parts.push({ expression, offset: open + OPEN.length + (raw.length - raw.trimStart().length) });
    cursor = close + CLOSE.length;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor) });
  // `  ${{ x }}  ` is one template too: the surrounding blanks are not meant as text.
  const expressions = parts.filter((part) => 'expression' in part);
  const onlyBlanksAround = parts.every((part) => 'expression' in part || part.text.trim() === '');
  if (expressions.length === 1 && onlyBlanksAround) return { parts: expressions };
  return { parts };
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function fieldSite(where: ExpressionSite, path: readonly (string | number)[]): ExpressionSite {
  if (path.length === 0) return where;
  return { ...where, field: formatFieldPath(path, where.field) };
}
