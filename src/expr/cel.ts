import { Environment, EvaluationError, ParseError, TypeError as CelTypeError, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';
import type { TargetFacts } from '../model/fleet.js';
import { fromCel, toCel, describeValue } from './cel-values.js';
import { didYouMean } from './did-you-mean.js';
import { badInputAt, locationAt, type ExpressionSite } from './site.js';

/**
 * The two CEL environments of a campaign, with every variable and field declared, so that a misspelt name
 * (`'debug' in dependencys`, `target.tierr`, `steps.bump.outptus`) fails when the campaign is loaded rather
 * than on the hundredth target.
 */

/** The CEL type of each target fact: the variables of `targets:` and the fields of `target` in conditions. */
export const TARGET_FACT_TYPES = {
  name: 'string',
  repo: 'string',
  owner: 'string',
  tier: 'int',
  tags: 'list<string>',
  defaultBranch: 'string',
  commit: 'string',
  languages: 'list<string>',
  packageManager: 'string',
  dependencies: 'map<string, string>',
  devDependencies: 'map<string, string>',
  hasTests: 'bool',
  testCommand: 'string',
  path: 'string',
  monorepo: 'string',
  projects: 'list<string>',
} as const satisfies Record<keyof TargetFacts, string>;

/** Facts a target may lack (older records, hand-made targets), with the value CEL sees instead. */
const FACT_DEFAULTS: Partial<Record<keyof TargetFacts, unknown>> = { path: '', monorepo: '', projects: [] };

const FACT_NAMES = Object.keys(TARGET_FACT_TYPES);
const STEP_FIELDS = ['outputs', 'status'];
const CAMPAIGN_FIELDS = ['name'];
const CONDITION_VARIABLES = ['steps', 'target', 'campaign'];

/** What an earlier step left for the conditions and templates of later steps. */
export interface StepScope {
  outputs: Readonly<Record<string, unknown>>;
  /** `succeeded`, `failed`, `skipped` … (a StepStatus). */
  status: string;
}

/**
 * The variables of an `if:` condition and a `${{ }}` template. `steps` should hold every earlier step (a
 * skipped one with `status: 'skipped'` and empty outputs), so that `steps.x.status` always resolves.
 */
export interface ConditionScope {
  steps: Readonly<Record<string, StepScope>>;
  target: TargetFacts;
  campaign: { name: string };
}

/** A compiled `targets:` expression. */
export interface TargetSelector {
  (facts: TargetFacts): boolean;
  readonly expression: string;
}

/** A compiled `if:` condition. */
export interface CompiledCondition {
  (scope: ConditionScope): boolean;
  readonly expression: string;
}

/** A compiled expression of any result type (the inside of a `${{ }}` template). */
export interface CompiledExpression {
  (scope: ConditionScope): unknown;
  readonly expression: string;
}

/** A use of `steps.<id>` (and `.outputs.<key>`) in an expression; `offset` is where the step id starts. */
export interface StepReference {
  step: string;
  output?: string;
  offset: number;
  /** Where the output key starts, when there is one. */
  outputOffset?: number;
}

/** cel-js requires a class for a typed map value; this is the shape of `steps.<id>`. */
class StepResult {
  constructor(
    readonly outputs: unknown,
    readonly status: string,
  ) {}
}

const selectorEnvironment = new Environment();
for (const [name, type] of Object.entries(TARGET_FACT_TYPES)) selectorEnvironment.registerVariable(name, type);

const conditionEnvironment = new Environment()
  .registerType('StepResult', { ctor: StepResult, fields: { outputs: 'map<string, dyn>', status: 'string' } })
  .registerVariable('steps', 'map<string, StepResult>')
  .registerVariable('target', { schema: { ...TARGET_FACT_TYPES } })
  .registerVariable('campaign', { schema: { name: 'string' } });

const eventEnvironment = new Environment().registerVariable('event', 'map<string, dyn>');

/** A compiled `on: <type> where <expression>` filter over the event's data (`event.<field>`). */
export interface EventFilter {
  (data: Record<string, unknown>): boolean;
  readonly expression: string;
}

/** Compiles the `where` part of a step's `on:` trigger; it must give a bool. */
export function compileEventFilter(expression: string, where: ExpressionSite = {}): EventFilter {
  const parsed = compile(eventEnvironment, expression, where, ['event'], true);
  const test = (data: Record<string, unknown>): boolean =>
    asBoolean(run(parsed, { event: toCel(data) }, expression, where), expression, where, 'an on: filter');
  return Object.assign(test, { expression });
}

/** Compiles a `targets:` expression over the target facts; it must give a bool. */
export function compileTargetSelector(expression: string, where: ExpressionSite = {}): TargetSelector {
  const parsed = compile(selectorEnvironment, expression, where, FACT_NAMES, true);
  const select = (facts: TargetFacts): boolean =>
    asBoolean(run(parsed, factsToCel(facts), expression, where), expression, where, 'a targets expression');
  return Object.assign(select, { expression });
}

/** Compiles an `if:` condition over `steps`, `target` and `campaign`; it must give a bool. */
export function compileCondition(expression: string, where: ExpressionSite = {}): CompiledCondition {
  const parsed = compile(conditionEnvironment, expression, where, CONDITION_VARIABLES, true);
  const decide = (scope: ConditionScope): boolean =>
    asBoolean(run(parsed, scopeToCel(scope), expression, where), expression, where, 'a condition');
  return Object.assign(decide, { expression });
}

/** Compiles an expression over the condition scope whose value is used as is (templates). */
export function compileExpression(expression: string, where: ExpressionSite = {}): CompiledExpression {
  const parsed = compile(conditionEnvironment, expression, where, CONDITION_VARIABLES, false);
  const evaluate = (scope: ConditionScope): unknown => fromCel(run(parsed, scopeToCel(scope), expression, where));
  return Object.assign(evaluate, { expression });
}

/**
 * Every `steps.<id>` in an expression of the condition scope, with `.outputs.<key>` when it follows, for
 * the load-time check that a step only reads earlier steps. An expression that does not parse has none
 * (compiling it reports the error).
 */
export function stepReferences(expression: string): StepReference[] {
  let parsed: ParseResult;
  try {
    parsed = conditionEnvironment.parse(expression);
  } catch {
    return [];
  }
  const found: StepReference[] = [];
  visit(parsed.ast, found, new Set());
  return found;
}

function compile(
  environment: Environment,
  expression: string,
  where: ExpressionSite,
  variables: readonly string[],
  mustBeBoolean: boolean,
): ParseResult {
  let parsed: ParseResult;
  try {
    parsed = environment.parse(expression);
  } catch (error) {
    throw celError(error, expression, where, variables);
  }
  const checked = parsed.check();
  if (!checked.valid) throw celError(checked.error, expression, where, variables);
  if (mustBeBoolean && checked.type !== 'bool' && checked.type !== 'dyn') {
    throw badInputAt(`must be true or false, but this expression gives ${checked.type ?? 'an unknown type'}`, locationAt(where), {
      expression,
    });
  }
  return parsed;
}

function run(parsed: ParseResult, context: Record<string, unknown>, expression: string, where: ExpressionSite): unknown {
  try {
    const result: unknown = parsed(context);
    return result;
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    throw badInputAt(`cannot evaluate \`${expression}\`: ${error.summary}`, locationAt(where, error.range?.start), { expression });
  }
}

function asBoolean(value: unknown, expression: string, where: ExpressionSite, what: string): boolean {
  if (typeof value === 'boolean') return value;
  throw badInputAt(`${what} must give true or false, but \`${expression}\` gave ${describeValue(value)}`, locationAt(where), {
    expression,
  });
}

function celError(error: unknown, expression: string, where: ExpressionSite, variables: readonly string[]): Error {
  if (!(error instanceof ParseError || error instanceof CelTypeError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const offset = error.range?.start;
  const hint = hintFor(error, variables);
  return badInputAt(`${error.summary}${hint}`, locationAt(where, offset), { expression, offset, celCode: error.code });
}

/** A "did you mean" for an unknown variable or field, using what that place actually declares. */
function hintFor(error: ParseError | CelTypeError, variables: readonly string[]): string {
  const node = error.node as ASTNode | undefined;
  if (error.code === 'unknown_variable') {
    const name = node?.op === 'id' ? node.args : /: (\S+)$/.exec(error.summary)?.[1];
    return name ? didYouMean(name, variables) : '';
  }
  if (error.code === 'no_such_key' && node && (node.op === '.' || node.op === '.?')) {
    const [base, key] = node.args;
    if (base.op === 'id' && base.args === 'target') return didYouMean(key, FACT_NAMES);
    if (base.op === 'id' && base.args === 'campaign') return didYouMean(key, CAMPAIGN_FIELDS);
    if (isStepAccess(base)) return didYouMean(key, STEP_FIELDS);
  }
  return '';
}

function isStepAccess(node: ASTNode): boolean {
  return (node.op === '.' || node.op === '[]') && node.args[0].op === 'id' && node.args[0].args === 'steps';
}

function factsToCel(facts: TargetFacts): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const name of FACT_NAMES) context[name] = toCel(facts[name as keyof TargetFacts] ?? FACT_DEFAULTS[name as keyof TargetFacts]);
  return context;
}

function scopeToCel(scope: ConditionScope): Record<string, unknown> {
  const steps: Record<string, StepResult> = {};
  for (const [id, step] of Object.entries(scope.steps)) steps[id] = new StepResult(toCel(step.outputs), step.status);
  return { steps, target: factsToCel(scope.target), campaign: { name: scope.campaign.name } };
}

/** The key of an access node (`a.key`, `a['key']`) and where it starts; undefined for computed keys. */
function accessKey(node: ASTNode): { key: string; offset: number } | undefined {
  if (node.op === '.' || node.op === '.?') return { key: node.args[1], offset: node.pos };
  if ((node.op === '[]' || node.op === '[?]') && node.args[1].op === 'value' && typeof node.args[1].args === 'string') {
    return { key: node.args[1].args, offset: node.args[1].start + 1 };
  }
  return undefined;
}

function isAccess(node: ASTNode): boolean {
  return node.op === '.' || node.op === '.?' || node.op === '[]' || node.op === '[?]';
}

function visit(node: ASTNode, found: StepReference[], seen: Set<object>): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (isAccess(node)) {
    const chain: ASTNode[] = [];
    let current: ASTNode = node;
    while (isAccess(current)) {
      chain.unshift(current);
      current = (current.args as [ASTNode, unknown])[0];
    }
    if (current.op === 'id' && current.args === 'steps') recordReference(chain, found);
    else visit(current, found, seen);
    for (const link of chain) {
      if (link.op === '[]' || link.op === '[?]') visit(link.args[1], found, seen);
    }
    return;
  }
  for (const child of children(node)) visit(child, found, seen);
}

function recordReference(chain: readonly ASTNode[], found: StepReference[]): void {
  const [stepLink, fieldLink, outputLink] = chain;
  const step = stepLink ? accessKey(stepLink) : undefined;
  if (!step) return;
  const field = fieldLink ? accessKey(fieldLink) : undefined;
  const output = field?.key === 'outputs' && outputLink ? accessKey(outputLink) : undefined;
  found.push({
    step: step.key,
    offset: step.offset,
    ...(output ? { output: output.key, outputOffset: output.offset } : {}),
  });
}

function children(node: ASTNode): ASTNode[] {
  const result: ASTNode[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) collect(item);
    } else if (typeof value === 'object' && value !== null && 'op' in value && 'args' in value) {
      result.push(value as ASTNode);
    }
  };
  collect(node.args);
  return result;
}
