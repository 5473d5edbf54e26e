import type { CampaignSpec } from '../model/campaign.js';
import type { FlotillaError } from '../model/errors.js';
import type { OnTimeout } from '../model/wait.js';
import type { OnFailure } from '../engine/commands.js';
import { compileEventFilter, type EventFilter } from '../expr/cel.js';
import { didYouMean } from '../expr/did-you-mean.js';
import { badInputAt, locationAt } from '../expr/site.js';
import { isFlotillaError } from '../model/errors.js';
import { siteAt, type YamlSource } from './yaml-source.js';

/** How a step sits in the path's graph. */
export interface StepGraph {
  needs: string[];
  onFailure: OnFailure;
  onTimeout?: OnTimeout;
  on?: { type: string; where?: EventFilter };
  /** Only runs as another step's on-failure clean-up. */
  handler: boolean;
}

const ON = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+)(?:\s+where\s+(.+))?$/s;

/**
 * Checks the graph of a path: `needs` name known steps and make no cycle, `on-failure` names a known
 * step or a policy, `on:` is `<event type> [where <CEL>]`. A step without `needs` follows the one before
 * it in the list (the ordered list is the common case); an `on:` step or a clean-up step is off the main
 * path and follows nothing.
 */
export function checkGraph(spec: CampaignSpec, source: YamlSource): { errors: FlotillaError[]; graph: Map<string, StepGraph> } {
  const errors: FlotillaError[] = [];
  const ids = spec.steps.map((step) => step.id);
  const known = new Set(ids);
  // Duplicate ids are reported by the step checks; a graph over them would only repeat that problem.
  const graphable = known.size === ids.length;
  const handlers = new Set<string>();
  spec.steps.forEach((step, index) => {
    const target = step['on-failure'];
    if (target === undefined || ['fail', 'needs-human', 'continue'].includes(target)) return;
    if (!known.has(target)) {
      errors.push(at(source, ['steps', index, 'on-failure'], `unknown step "${target}"; on-failure is fail, needs-human, continue or a step id${didYouMean(target, ids)}`));
    } else if (target === step.id) {
      errors.push(at(source, ['steps', index, 'on-failure'], 'a step cannot be its own clean-up'));
    } else handlers.add(target);
  });

  const graph = new Map<string, StepGraph>();
  let previous: string | undefined;
  spec.steps.forEach((step, index) => {
    const offPath = step.on !== undefined || handlers.has(step.id);
    const needs = step.needs ?? (offPath || previous === undefined ? [] : [previous]);
    for (const [position, need] of graphable ? needs.entries() : []) {
      if (!known.has(need)) errors.push(at(source, ['steps', index, 'needs', position], `unknown step "${need}"${didYouMean(need, ids)}`));
      else if (need === step.id) errors.push(at(source, ['steps', index, 'needs', position], 'a step cannot need itself'));
    }
    const entry: StepGraph = { needs, onFailure: onFailureOf(step['on-failure']), handler: handlers.has(step.id) };
    if (step['on-timeout']) entry.onTimeout = step['on-timeout'];
    if (step.on !== undefined) {
      const match = ON.exec(step.on.trim());
      if (!match?.[1]) {
        errors.push(at(source, ['steps', index, 'on'], `on: must be "<event type> [where <CEL>]", such as "change.merged" or "ci.completed where event.conclusion == 'success'"`));
      } else {
        entry.on = { type: match[1] };
        const expression = match[2];
        if (expression !== undefined) {
          const offset = step.on.indexOf(expression);
          try {
            entry.on.where = compileEventFilter(expression, siteAt(source, ['steps', index, 'on'], offset));
          } catch (error) {
            if (!isFlotillaError(error)) throw error;
            errors.push(error);
          }
        }
      }
    }
    graph.set(step.id, entry);
    if (!offPath) previous = step.id;
  });
  const cycle = graphable ? findCycle(graph) : undefined;
  if (cycle) {
    const index = ids.indexOf(cycle[0] ?? '');
    errors.push(at(source, ['steps', index, 'needs'], `the steps' needs make a cycle: ${cycle.join(' → ')}`));
  }
  return { errors, graph };
}

function onFailureOf(value: string | undefined): OnFailure {
  if (value === undefined || value === 'fail') return 'fail';
  if (value === 'needs-human' || value === 'continue') return value;
  return { step: value };
}

function findCycle(graph: ReadonlyMap<string, StepGraph>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const need of graph.get(id)?.needs ?? []) {
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

function at(source: YamlSource, path: readonly PropertyKey[], reason: string): FlotillaError {
  return badInputAt(reason, locationAt(siteAt(source, path)));
}
