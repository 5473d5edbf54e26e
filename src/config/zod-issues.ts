import type { z } from 'zod';
import { FlotillaError } from '../model/errors.js';
import { badInputAt, formatFieldPath } from '../expr/site.js';
import { didYouMean } from '../expr/did-you-mean.js';
import { keyPositionOf, positionOf, type YamlPath, type YamlSource } from './yaml-source.js';

/**
 * Turns zod issues into errors a person can act on: each names the file, line, column and field, and
 * says what would be valid (the allowed keys of an object, the options of an enum, the expected kind).
 */

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  source: YamlSource;
  /** The schema the issues came from, to list the keys an object allows. */
  schema?: z.core.$ZodType;
  /** Where in the file the validated value sits (a step's `with` is validated on its own). */
  pathPrefix?: YamlPath;
}

/** One `bad-input` error per issue (one per unknown key), in the order of the file. */
export function zodIssuesToErrors(issues: readonly Issue[], context: IssueContext): FlotillaError[] {
  const errors = issues.flatMap((issue) => issueErrors(issue, context, []));
  return sortByLocation(errors);
}

/** The single error to throw: the error itself when there is one, else one that lists them all. */
export function combineErrors(errors: readonly FlotillaError[]): FlotillaError {
  const [first] = errors;
  if (!first) return new FlotillaError('internal', 'combineErrors called without errors');
  if (errors.length === 1) return first;
  const lines = errors.map((error) => `  ${error.message}`).join('\n');
  return new FlotillaError('bad-input', `${errors.length} problems:\n${lines}`, {
    ...(first.location?.file ? { location: { file: first.location.file } } : {}),
    details: { errors: errors.map((error) => ({ message: error.message, location: error.location })) },
  });
}

export function sortByLocation(errors: readonly FlotillaError[]): FlotillaError[] {
  return [...errors].sort(
    (a, b) => (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0),
  );
}

function issueErrors(issue: Issue, context: IssueContext, inner: YamlPath): FlotillaError[] {
  const relative = [...inner, ...issue.path];
  const path = [...(context.pathPrefix ?? []), ...relative];
  const value = valueAt(context.source.value, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(context.schema, relative);
      return issue.keys.map((key) => {
        const hint = allowed.length > 0 ? `${didYouMean(key, allowed)}; allowed: ${allowed.join(', ')}` : '';
        return errorAt(context.source, [...path, key], `unknown field "${key}"${hint}`, issue.code, true);
      });
    }
    case 'invalid_union':
      return unionErrors(issue.errors, context, relative, path, value);
    case 'invalid_type':
      if (value === undefined) return [errorAt(context.source, path, 'required field is missing', 'missing')];
      return [errorAt(context.source, path, `expected ${expectedName(issue.expected)}, got ${describe(value)}`, issue.code)];
    case 'invalid_value': {
      const options = issue.values.map((option) => JSON.stringify(option));
      const choice = options.length === 1 ? `must be ${options[0]}` : `must be one of ${options.join(', ')}`;
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.map(String)) : '';
      return [errorAt(context.source, path, `${choice}, got ${describe(value)}${hint}`, issue.code)];
    }
    case 'too_small':
    case 'too_big':
      return [errorAt(context.source, path, isDefaultMessage(issue.message) ? sizeMessage(issue) : issue.message, issue.code)];
    case 'invalid_format': {
      const message = isDefaultMessage(issue.message) && issue.pattern ? `must match ${issue.pattern}` : issue.message;
      return [errorAt(context.source, path, message, issue.code)];
    }
    case 'not_multiple_of':
      return [errorAt(context.source, path, `must be a multiple of ${issue.divisor}`, issue.code)];
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      return issue.issues.map((sub) => {
        const reason = sub.code === 'invalid_format' && sub.pattern && isDefaultMessage(sub.message) ? `must match ${sub.pattern}` : sub.message;
        return errorAt(context.source, path, `invalid key "${key}": ${reason}`, issue.code, true);
      });
    }
    case 'invalid_element':
      return issue.issues.flatMap((sub) => issueErrors(sub, context, relative));
    default:
      return [errorAt(context.source, path, issue.message, issue.code)];
  }
}

/**
 * A union: when some branches have the value's kind (an object for an object branch), report the one
 * with the fewest problems, in its own terms; otherwise say which kinds would do. Branch issues are
 * relative to the union's place.
 */
function unionErrors(branches: readonly (readonly Issue[])[], context: IssueContext, relative: YamlPath, path: YamlPath, value: unknown): FlotillaError[] {
  const isRootMismatch = (sub: Issue): boolean => sub.path.length === 0 && (sub.code === 'invalid_type' || sub.code === 'invalid_value');
  const sameKind = branches.filter((branch) => branch.length > 0 && !branch.some(isRootMismatch));
  const closest = [...sameKind].sort((a, b) => a.length - b.length)[0];
  if (closest) return closest.flatMap((sub) => issueErrors(sub, context, relative));
  const kinds = new Set<string>();
  for (const sub of branches.flat()) {
    if (sub.path.length > 0) continue;
    if (sub.code === 'invalid_type') kinds.add(expectedName(sub.expected));
    if (sub.code === 'invalid_value') for (const option of sub.values) kinds.add(JSON.stringify(option));
  }
  const expected = kinds.size > 0 ? [...kinds].join(' or ') : 'a different value';
  return [errorAt(context.source, path, `expected ${expected}, got ${describe(value)}`, 'invalid_union')];
}

function errorAt(source: YamlSource, path: YamlPath, reason: string, code: string, atKey = false): FlotillaError {
  const position = atKey ? keyPositionOf(source, path) : positionOf(source, path);
  return badInputAt(reason, { file: source.file, ...position, field: formatFieldPath(path) }, { issue: code });
}

/** zod's own default messages start like this; a schema's custom message is shown as written. */
function isDefaultMessage(message: string): boolean {
  return /^(Too small|Too big|Invalid)\b/.test(message);
}

function sizeMessage(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  const bound = issue.exact ? 'exactly' : small ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
  if (issue.origin === 'string') return `must have ${bound} ${limit} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${bound} ${limit} items`;
  return `must be ${bound} ${limit}`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    tuple: 'a list',
    object: 'a mapping (key: value)',
    record: 'a mapping (key: value)',
    map: 'a mapping (key: value)',
    null: 'nothing (null)',
    nonoptional: 'a value',
  };
  return names[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return 'a mapping';
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The subset of zod's schema definitions needed to walk down to the object at a path. */
interface WalkableDef {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  left?: z.core.$ZodType;
  right?: z.core.$ZodType;
  items?: z.core.$ZodType[];
  getter?: () => z.core.$ZodType;
}

function defOf(schema: z.core.$ZodType): WalkableDef {
  return schema._zod.def;
}

/** The keys the object schema at `path` allows (empty when it is not an object or cannot be found). */
export function allowedKeys(schema: z.core.$ZodType | undefined, path: YamlPath): string[] {
  const found = schemaAt(schema, path, 0);
  if (!found) return [];
  return Object.keys(defOf(found).shape ?? {});
}

function schemaAt(schema: z.core.$ZodType | undefined, path: YamlPath, depth: number): z.core.$ZodType | undefined {
  if (!schema || depth > 64) return undefined;
  const def = defOf(schema);
  const unwrapped = def.innerType ?? def.in ?? def.getter?.();
  if (unwrapped) return schemaAt(unwrapped, path, depth + 1);
  if (def.type === 'union' || def.type === 'intersection') {
    const options = def.options ?? [def.left, def.right];
    for (const option of options) {
      const found = schemaAt(option, path, depth + 1);
      if (found && (path.length > 0 || defOf(found).shape)) return found;
    }
    return undefined;
  }
  const [key, ...rest] = path;
  if (key === undefined) return schema;
  let next: z.core.$ZodType | undefined;
  if (def.type === 'object') next = def.shape?.[String(key)];
  else if (def.type === 'array') next = def.element;
  else if (def.type === 'tuple') next = def.items?.[Number(key)];
  else if (def.type === 'record') next = def.valueType;
  return schemaAt(next, rest, depth + 1);
}
