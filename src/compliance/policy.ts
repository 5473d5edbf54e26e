import type { ParseResult } from '@marcbachmann/cel-js';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { didYouMean } from '../expr/did-you-mean.js';
import { badInputAt, formatFieldPath } from '../expr/site.js';
import { compileExpression, compileTemplate, type CelCompileError, type TemplatePart } from './cel-rules.js';
import { severitySchema, type CheckId, type Severity } from './check.js';
import { CHECKS, findCheck } from './checks.js';
import { positionInScalar, positionOf, type Position } from './yaml-location.js';

export type OnBlock = 'needs-human' | 'fail';

/** A check's setting: its params as written (validated), or `false` to switch it off (in an override). */
export type CheckSetting = false | Record<string, unknown>;

/** A custom rule, compiled: `condition` and the message template were type-checked when loaded. */
export interface PolicyRule {
  id: string;
  when: string;
  severity: Severity;
  message: string;
  source: { file: string; line?: number; column?: number };
  condition: ParseResult;
  template: TemplatePart[];
}

export interface Policy {
  /** The files this policy came from, the fleet's first and a campaign's override after it. */
  files: string[];
  /** What a blocked run becomes; `undefined` means the default, needs-human. */
  onBlock?: OnBlock;
  checks: Partial<Record<CheckId, CheckSetting>>;
  rules: PolicyRule[];
}

const ruleSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" and "-"'),
  when: z.string().min(1, 'must be a CEL condition over the change facts'),
  severity: severitySchema,
  message: z.string().min(1),
});

const policyFileSchema = z.strictObject({
  onBlock: z.enum(['needs-human', 'fail']).optional(),
  checks: z.record(z.string(), z.unknown()).default({}),
  rules: z.array(ruleSchema).default([]),
});

/**
 * Loads a policy.yaml: strict schema, every check's params validated, every rule compiled and
 * type-checked. Any mistake is a `bad-input` FlotillaError naming the file, line and column (and, for a
 * rule, its id and the position inside the CEL expression).
 */
export function loadPolicy(text: string, file: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    throw badInputAt(`invalid YAML: ${syntax.message.split('\n')[0] ?? ''}`, {
      file,
      ...(at ? { line: at.line, column: at.col } : {}),
    });
  }
  const parsed = policyFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const issuePath = issue?.path ?? [];
    throw located(doc, lines, file, issuePath, issueMessage(issue?.message ?? 'invalid', key), key);
  }
  const checks: Partial<Record<CheckId, CheckSetting>> = {};
  for (const [id, value] of Object.entries(parsed.data.checks)) {
    const check = findCheck(id);
    if (!check) {
      const known = CHECKS.map((item) => item.id);
      const hint = didYouMean(id, known);
      throw located(doc, lines, file, ['checks'], `unknown check "${id}"${hint || `; the checks are: ${known.join(', ')}`}`, id);
    }
    if (value === false) {
      checks[check.id] = false;
      continue;
    }
    const params: unknown = value === true || value === null ? {} : value;
    const result = check.params.safeParse(params);
    if (!result.success || typeof params !== 'object' || params === null) {
      const issue = result.error?.issues[0];
      const key = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const where = ['checks', id, ...(issue?.path ?? [])];
      throw located(doc, lines, file, where, issueMessage(issue?.message ?? 'must be true, false or a map of params', key), key);
    }
    checks[check.id] = resolveDatabase(check.id, params as Record<string, unknown>, file);
  }
  const rules: PolicyRule[] = [];
  parsed.data.rules.forEach((rule, index) => {
    if (rules.some((known) => known.id === rule.id)) {
      throw located(doc, lines, file, ['rules', index, 'id'], `rule "${rule.id}" is defined twice`);
    }
    const condition = compileExpression(rule.when, true);
    if (!condition.ok) throw ruleError(doc, lines, text, file, rule.id, index, 'when', condition.error);
    const template = compileTemplate(rule.message);
    if (!template.ok) throw ruleError(doc, lines, text, file, rule.id, index, 'message', template.error);
    const at = positionOf(doc, lines, ['rules', index]);
    rules.push({ ...rule, source: { file, ...(at ? { line: at.line, column: at.column } : {}) }, condition: condition.value, template: template.value });
  });
  return { files: [file], ...(parsed.data.onBlock ? { onBlock: parsed.data.onBlock } : {}), checks, rules };
}

/**
 * A campaign's override on top of the fleet's policy: `onBlock` and each check's setting are replaced
 * key by key (a check's params are merged shallowly: a list given in the override replaces the
 * fleet's list; `false` switches the check off); a rule with the same id replaces the fleet's rule,
 * other rules are added after the fleet's.
 */
export function mergePolicies(base: Policy, override: Policy): Policy {
  const checks: Partial<Record<CheckId, CheckSetting>> = { ...base.checks };
  for (const check of CHECKS) {
    const next = override.checks[check.id];
    const previous = base.checks[check.id];
    if (next === undefined) continue;
    if (next === false || !previous) {
      checks[check.id] = next;
      continue;
    }
    const merged = { ...previous, ...next };
    const result = check.params.safeParse(merged);
    if (!result.success) {
      const issue = result.error.issues[0];
      const file = override.files.at(-1);
      throw badInputAt(`the override does not combine with the base policy: ${issue?.message ?? 'invalid'}`, {
        ...(file === undefined ? {} : { file }),
        field: formatFieldPath(['checks', check.id, ...(issue?.path ?? [])]),
      });
    }
    checks[check.id] = merged;
  }
  const rules = base.rules.map((rule) => override.rules.find((item) => item.id === rule.id) ?? rule);
  for (const rule of override.rules) if (!base.rules.some((item) => item.id === rule.id)) rules.push(rule);
  const onBlock = override.onBlock ?? base.onBlock;
  return { files: [...base.files, ...override.files], ...(onBlock ? { onBlock } : {}), checks, rules };
}

/** The vulnerability database path, made relative to the policy file that named it. */
function resolveDatabase(id: CheckId, params: Record<string, unknown>, file: string): Record<string, unknown> {
  const database = params.database;
  if (id !== 'vulnerabilities' || typeof database !== 'string' || path.isAbsolute(database)) return params;
  return { ...params, database: path.join(path.dirname(file), database) };
}

function issueMessage(message: string, key: string | undefined): string {
  return key === undefined ? message : `unknown key "${key}"`;
}

function located(doc: Document, lines: LineCounter, file: string, where: ReadonlyArray<PropertyKey>, message: string, key?: string) {
  const at: Position | undefined = positionOf(doc, lines, where, key);
  const field = formatFieldPath(key === undefined ? where : [...where, key]);
  return badInputAt(message, { file, ...(at ? { line: at.line, column: at.column } : {}), ...(field ? { field } : {}) });
}

function ruleError(
  doc: Document,
  lines: LineCounter,
  text: string,
  file: string,
  id: string,
  index: number,
  field: 'when' | 'message',
  error: CelCompileError,
) {
  const where = ['rules', index, field];
  const at = positionInScalar(doc, lines, text, where, error.offset);
  const what = field === 'when' ? 'expression' : 'template';
  return badInputAt(
    `rule "${id}" does not compile: ${error.message} (at character ${error.offset + 1} of the ${what})`,
    { file, ...(at ? { line: at.line, column: at.column } : {}), field: formatFieldPath(where) },
    { rule: id, celCode: error.code, celOffset: error.offset },
  );
}

export { evaluatePolicy, type PolicyVerdict } from './evaluate-policy.js';
