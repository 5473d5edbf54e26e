import { DEFAULT_RETRY_BACKOFF_MS, DEFAULT_STEP_TIMEOUT_MS, type CampaignSpec, type StepSpec } from '../model/campaign.js';
import { parseDuration } from '../model/duration.js';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import type { AnyStep } from '../sdk/step.js';
import {
  compileCondition,
  compileExpression,
  compileTargetSelector,
  stepReferences,
  type CompiledCondition,
  type StepReference,
  type TargetSelector,
} from '../expr/cel.js';
import { didYouMean } from '../expr/did-you-mean.js';
import { badInputAt, locationAt, type ExpressionSite } from '../expr/site.js';
import { findTemplates, isTemplated } from '../expr/template.js';
import { sortByLocation, zodIssuesToErrors } from './zod-issues.js';
import { positionOf, siteAt, type YamlSource } from './yaml-source.js';
import type { CompiledStep } from './load-campaign.js';
import { checkGraph } from './check-graph.js';

/**
 * The checks that need more than the schema: they see the whole path of steps and the step registry.
 * Each problem is collected rather than thrown, so one load reports everything that is wrong.
 */
export function checkCampaign(
  spec: CampaignSpec,
  source: YamlSource,
  registry: ReadonlyMap<string, AnyStep>,
): { errors: FlotillaError[]; steps: CompiledStep[]; selector: TargetSelector } {
  const errors: FlotillaError[] = [];
  const collect = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!isFlotillaError(error)) throw error;
      errors.push(error);
      return undefined;
    }
  };

  const selector = spec.targets === undefined ? selectAll() : collect(() => compileTargetSelector(spec.targets ?? '', siteAt(source, ['targets'])));
  const firstIndex = new Map<string, number>();
  const steps: CompiledStep[] = [];

  spec.steps.forEach((step, index) => {
    const previous = firstIndex.get(step.id);
    if (previous === undefined) firstIndex.set(step.id, index);
    else {
      const line = positionOf(source, ['steps', previous, 'id']).line;
      errors.push(errorAt(source, ['steps', index, 'id'], `duplicate step id "${step.id}" (first used by steps[${previous}] on line ${line})`));
    }
    const definition = registry.get(step.uses);
    if (!definition) {
      const hint = didYouMean(step.uses, registry.keys()) || '; `flotilla steps` lists the available steps';
      errors.push(errorAt(source, ['steps', index, 'uses'], `unknown step "${step.uses}"${hint}`));
    } else {
      errors.push(...checkWith(step, index, definition, source));
    }
    const reach: Reach = { index, ids: firstIndex, spec, registry, source };
    for (const template of findTemplates(step.with, ['steps', index, 'with'])) {
      const site = siteAt(source, template.path, template.offset);
      if (template.error) {
        errors.push(badInputAt(template.error, locationAt(site, 0)));
        continue;
      }
      if (collect(() => compileExpression(template.expression, site))) errors.push(...checkReferences(template.expression, site, reach));
    }
    let condition: CompiledCondition | undefined;
    if (step.if !== undefined) {
      const site = siteAt(source, ['steps', index, 'if']);
      condition = collect(() => compileCondition(step.if ?? '', site));
      if (condition) errors.push(...checkReferences(step.if, site, reach));
    }
    if (definition) steps.push(compiledStep(step, definition, condition));
  });

  const { errors: graphErrors, graph } = checkGraph(spec, source);
  errors.push(...graphErrors);
  for (const step of steps) {
    const entry = graph.get(step.id);
    if (entry) step.graph = entry;
  }

  return { errors: sortByLocation(errors), steps, selector: selector ?? selectAll() };
}

/** Validates `with` against the step's input; values that are templates are only known at run time. */
function checkWith(step: StepSpec, index: number, definition: AnyStep, source: YamlSource): FlotillaError[] {
  const result = definition.input.safeParse(step.with);
  if (result.success) return [];
  const issues = result.error.issues.filter((issue) => !startsAtTemplate(step.with, issue.path));
  return zodIssuesToErrors(issues, { source, schema: definition.input, pathPrefix: ['steps', index, 'with'] });
}

function startsAtTemplate(root: unknown, path: readonly PropertyKey[]): boolean {
  let value = root;
  for (const key of path) {
    if (isTemplated(value)) return true;
    if (typeof value !== 'object' || value === null) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return isTemplated(value);
}

interface Reach {
  index: number;
  ids: ReadonlyMap<string, number>;
  spec: CampaignSpec;
  registry: ReadonlyMap<string, AnyStep>;
  source: YamlSource;
}

/** A step may read `steps.<id>` only for a step that runs before it, and only outputs that step declares. */
function checkReferences(expression: string, site: ExpressionSite, reach: Reach): FlotillaError[] {
  const errors: FlotillaError[] = [];
  for (const reference of stepReferences(expression)) {
    const problem = referenceProblem(reference, reach);
    if (problem) errors.push(badInputAt(problem.reason, locationAt(site, problem.offset)));
  }
  return errors;
}

function referenceProblem(reference: StepReference, reach: Reach): { reason: string; offset: number } | undefined {
  const target = reach.ids.get(reference.step);
  const earlier = reach.spec.steps.slice(0, reach.index).map((step) => step.id);
  if (target === undefined || target > reach.index) {
    const later = reach.spec.steps.findIndex((step, position) => position > reach.index && step.id === reference.step);
    if (later >= 0) {
      return { reason: `steps.${reference.step} runs after this step (steps[${later}]); only earlier steps can be used`, offset: reference.offset };
    }
    const known = earlier.length > 0 ? `${didYouMean(reference.step, earlier)}; earlier steps: ${earlier.join(', ')}` : '; there is no earlier step';
    return { reason: `unknown step "${reference.step}"${known}`, offset: reference.offset };
  }
  if (target === reach.index) return { reason: `a step cannot use its own outputs (steps.${reference.step})`, offset: reference.offset };
  if (reference.output === undefined) return undefined;
  const used = reach.spec.steps[target]?.uses ?? '';
  const keys = outputKeys(reach.registry.get(used));
  if (!keys || keys.includes(reference.output)) return undefined;
  const listed = keys.length > 0 ? `${didYouMean(reference.output, keys)}; it has: ${keys.join(', ')}` : '; it has none';
  return { reason: `step "${reference.step}" (${used}) has no output "${reference.output}"${listed}`, offset: reference.outputOffset ?? reference.offset };
}

/** The declared output keys of a step whose output is a closed zod object; undefined when it is open. */
function outputKeys(definition: AnyStep | undefined): string[] | undefined {
  const def = (definition?.output as { _zod?: { def?: { type?: string; shape?: object; catchall?: { _zod: { def: { type: string } } } } } } | undefined)?._zod?.def;
  if (def?.type !== 'object' || !def.shape) return undefined;
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== undefined && catchall !== 'never') return undefined;
  return Object.keys(def.shape);
}

function compiledStep(step: StepSpec, definition: AnyStep, condition: CompiledStep['if']): CompiledStep {
  const compiled: CompiledStep = {
    id: step.id,
    uses: step.uses,
    definition,
    with: step.with,
    timeoutMs: (step.timeout === undefined ? undefined : parseDuration(step.timeout)) ?? DEFAULT_STEP_TIMEOUT_MS,
    retry: {
      attempts: step.retry?.attempts ?? 1,
      backoffMs: (step.retry?.backoff === undefined ? undefined : parseDuration(step.retry.backoff)) ?? DEFAULT_RETRY_BACKOFF_MS,
    },
  };
  if (condition) compiled.if = condition;
  return compiled;
}

function errorAt(source: YamlSource, path: readonly PropertyKey[], reason: string): FlotillaError {
  return badInputAt(reason, locationAt(siteAt(source, path)));
}

function selectAll(): TargetSelector {
  return Object.assign(() => true, { expression: 'true' });
}
