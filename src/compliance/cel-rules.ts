import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import picomatch from 'picomatch';
import { didYouMean } from '../expr/did-you-mean.js';
import { changeTotals, type ChangeFacts } from './change-facts.js';

/**
 * Custom policy rules are CEL expressions over the change facts. The environment is typed, so a rule
 * that names an unknown field or mixes types fails when the policy is loaded, not when it runs.
 *
 * Variables (absent optional strings are ""; `target.tier` is absent when unknown, test it with `has()`):
 *   files: list<File>            File { path, previousPath, status, added, removed, binary }
 *   dependencies: list<Dependency>  Dependency { ecosystem, name, change, from, to, kind, licence, direct, dev }
 *   target: Target               Target { name, owner, tier, tags }
 *   campaign: Campaign           Campaign { name }
 *   totals: Totals               Totals { files, added, removed }
 *   now: timestamp
 * Extra function: `path.glob("src/**")` (picomatch glob, dot files included).
 * Hunks and added lines are not exposed: they are the secrets check's business, and large.
 */
let environment: Environment | undefined;

export function celEnvironment(): Environment {
  environment ??= new Environment({ limits: { maxAstNodes: 5000, maxDepth: 64 } })
    .registerType('File', {
      fields: { path: 'string', previousPath: 'string', status: 'string', added: 'int', removed: 'int', binary: 'bool' },
    })
    .registerType('Dependency', {
      fields: {
        ecosystem: 'string',
        name: 'string',
        change: 'string',
        from: 'string',
        to: 'string',
        kind: 'string',
        licence: 'string',
        direct: 'bool',
        dev: 'bool',
      },
    })
    .registerType('Target', { fields: { name: 'string', owner: 'string', tier: 'int', tags: 'list<string>' } })
    .registerType('Campaign', { fields: { name: 'string' } })
    .registerType('Totals', { fields: { files: 'int', added: 'int', removed: 'int' } })
    .registerVariable('files', 'list<File>', { description: 'The files the change touches' })
    .registerVariable('dependencies', 'list<Dependency>', { description: 'Dependencies added, removed or changed' })
    .registerVariable('target', 'Target')
    .registerVariable('campaign', 'Campaign')
    .registerVariable('totals', 'Totals', { description: 'Files and lines changed in all' })
    .registerVariable('now', 'google.protobuf.Timestamp', { description: 'The time of the check' })
    .registerFunction('string.glob(string): bool', (path: string, glob: string) => globMatcher(glob)(path), {
      description: 'Whether the string (a path) matches a glob',
    });
  return environment;
}

const globs = new Map<string, (path: string) => boolean>();

function globMatcher(glob: string): (path: string) => boolean {
  let matcher = globs.get(glob);
  if (!matcher) {
    matcher = picomatch(glob, { dot: true });
    if (globs.size > 1000) globs.clear();
    globs.set(glob, matcher);
  }
  return matcher;
}

/** The CEL variables for one change (integers as BigInt, as CEL wants them). */
export function celContext(facts: ChangeFacts): Record<string, unknown> {
  const totals = changeTotals(facts.files);
  return {
    files: facts.files.map((file) => ({
      path: file.path,
      previousPath: file.previousPath ?? '',
      status: file.status,
      added: BigInt(file.added),
      removed: BigInt(file.removed),
      binary: file.binary,
    })),
    dependencies: facts.dependencies.map((dependency) => ({
      ecosystem: dependency.ecosystem,
      name: dependency.name,
      change: dependency.change,
      from: dependency.from ?? '',
      to: dependency.to ?? '',
      kind: dependency.kind,
      licence: dependency.licence ?? '',
      direct: dependency.direct,
      dev: dependency.dev,
    })),
    target: {
      name: facts.target.name,
      owner: facts.target.owner ?? '',
      ...(facts.target.tier === undefined ? {} : { tier: BigInt(facts.target.tier) }),
      tags: facts.target.tags,
    },
    campaign: { name: facts.campaign.name },
    totals: { files: BigInt(totals.files), added: BigInt(totals.added), removed: BigInt(totals.removed) },
    now: new Date(facts.now),
  };
}

/** A compile error: what is wrong and where, as an offset into the text that was compiled. */
export interface CelCompileError {
  message: string;
  code: string;
  offset: number;
}

export type Compiled<T> = { ok: true; value: T } | { ok: false; error: CelCompileError };

/** Parses and type-checks one expression; `expectBool` requires it to be a condition. */
export function compileExpression(expression: string, expectBool: boolean): Compiled<ParseResult> {
  let parsed: ParseResult;
  try {
    parsed = celEnvironment().parse(expression);
  } catch (error) {
    return { ok: false, error: celError(error) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, error: celError(checked.error) };
  if (expectBool && checked.type !== 'bool' && checked.type !== 'dyn') {
    return { ok: false, error: { message: `must be a condition (bool), but is ${checked.type ?? 'unknown'}`, code: 'not_bool', offset: 0 } };
  }
  return { ok: true, value: parsed };
}

/** Every name a rule may use: variables and the fields of their types, for "did you mean" hints. */
const NAMES = [
  'files', 'dependencies', 'target', 'campaign', 'totals', 'now',
  'path', 'previousPath', 'status', 'added', 'removed', 'binary',
  'ecosystem', 'name', 'change', 'from', 'to', 'kind', 'licence', 'direct', 'dev',
  'owner', 'tier', 'tags',
];

function celError(error: unknown): CelCompileError {
  if (error && typeof error === 'object') {
    const record = error as { summary?: unknown; message?: unknown; code?: unknown; range?: { start?: unknown } };
    let message = typeof record.summary === 'string' ? record.summary : String(record.message);
    const code = typeof record.code === 'string' ? record.code : 'invalid';
    const offset = typeof record.range?.start === 'number' ? record.range.start : 0;
    const unknown = /^(?:Unknown variable|No such key): (\S+)$/.exec(message)?.[1];
    if (unknown && (code === 'unknown_variable' || code === 'no_such_key')) message += didYouMean(unknown, NAMES);
    return { message, code, offset };
  }
  return { message: String(error), code: 'invalid', offset: 0 };
}

/** A message template: literal text and `${{ expression }}` placeholders. */
export type TemplatePart = { text: string } | { expression: string; compiled: ParseResult };

/** Compiles `text ${{ expression }} text`; an unclosed or empty placeholder is an error, like a bad expression. */
export function compileTemplate(template: string): Compiled<TemplatePart[]> {
  const parts: TemplatePart[] = [];
  let cursor = 0;
  for (;;) {
    const open = template.indexOf('${{', cursor);
    if (open < 0) break;
    if (open > cursor) parts.push({ text: template.slice(cursor, open) });
    const close = template.indexOf('}}', open + 3);
    if (close < 0) return { ok: false, error: { message: 'unclosed placeholder: "${{" without "}}"', code: 'unclosed', offset: open } };
    const inner = template.slice(open + 3, close);
    const expression = inner.trim();
    if (!expression) return { ok: false, error: { message: 'empty placeholder', code: 'empty', offset: open } };
    const compiled = compileExpression(expression, false);
    const start = open + 3 + (inner.length - inner.trimStart().length);
    if (!compiled.ok) return { ok: false, error: { ...compiled.error, offset: start + compiled.error.offset } };
    parts.push({ expression, compiled: compiled.value });
    cursor = close + 2;
  }
  if (cursor < template.length) parts.push({ text: template.slice(cursor) });
  return { ok: true, value: parts };
}

/** Renders a template; a placeholder that fails shows as `‹error: …›` rather than hiding the finding. */
export function renderTemplate(parts: readonly TemplatePart[], context: Record<string, unknown>): string {
  let text = '';
  for (const part of parts) {
    if ('text' in part) {
      text += part.text;
      continue;
    }
    try {
      text += display(part.compiled(context));
    } catch (error) {
      text += `‹error: ${celError(error).message}›`;
    }
  }
  return text;
}

function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (value instanceof Map) return [...value.entries()].map(([key, item]) => `${display(key)}: ${display(item)}`).join(', ');
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item));
}
