import type { AnyStep } from '../sdk/step.js';
import type { TargetFacts } from '../model/fleet.js';
import type { OnTimeout } from '../model/wait.js';
import type { OnFailure, PathStep } from './commands.js';

/** What a step's `if:` and `${{ }}` templates can see. */
export interface StepScope {
  steps: Record<string, { outputs: Record<string, unknown>; status: string }>;
  target: TargetFacts;
  campaign: { name: string };
}

/** One step of a campaign's path, compiled: its definition found, its defaults applied. */
export interface EngineStep {
  id: string;
  uses: string;
  definition: AnyStep;
  with: Record<string, unknown>;
  /** The compiled `if:`; the step is skipped when it returns false. */
  condition?: (scope: StepScope) => boolean;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  /** Default: the main-path step before it in the list. */
  needs?: string[];
  onFailure?: OnFailure;
  onTimeout?: OnTimeout;
  on?: { type: string; where?: (data: Record<string, unknown>) => boolean };
  handler?: boolean;
}

/** A campaign as the engine runs it. */
export interface EngineCampaign {
  name: string;
  hash: string;
  file: string;
  spec: unknown;
  change: { title: string; body: string };
  steps: EngineStep[];
  limits?: { inFlight?: number; changesPerHour?: number };
  /** Close the open changes of cancelled runs (default true). */
  closeChangesOnCancel?: boolean;
  /** `repository`: one change for all the targets of a repository (monorepo projects); default one per target. */
  changePer?: 'target' | 'repository';
  /** Progressive waves and the circuit breaker. */
  rollout?: {
    waves?: (number | string)[];
    order: 'risk' | 'fleet';
    gate?: { successRate: number };
    halt?: { failureRate: number; minRuns: number };
  };
}

export const CHECKOUT_TIMEOUT_MS = 10 * 60_000;

const offPath = (step: EngineStep): boolean => Boolean(step.on ?? step.handler);

/**
 * Fills each step's default `needs` (the main-path step before it) and inserts the implied
 * `git/checkout` before the steps that need a workspace, unless the path checks out itself.
 */
export function withImpliedCheckout(steps: readonly EngineStep[], checkout: AnyStep): EngineStep[] {
  let previous: string | undefined;
  const filled = steps.map((step) => {
    const needs = step.needs ?? (offPath(step) || previous === undefined ? [] : [previous]);
    if (!offPath(step)) previous = step.id;
    return { ...step, needs };
  });
  const first = filled.findIndex((step) => step.definition.workspace);
  if (first === -1 || filled.some((step) => step.uses === checkout.id)) return filled;
  const taken = new Set(filled.map((step) => step.id));
  const id = taken.has('checkout') ? 'git-checkout' : 'checkout';
  const implied: EngineStep = {
    id,
    uses: checkout.id,
    definition: checkout,
    with: {},
    timeoutMs: CHECKOUT_TIMEOUT_MS,
    attempts: 3,
    backoffMs: 1000,
    needs: (filled[first]?.needs ?? []).filter((need) => !filled.find((step) => step.id === need)?.definition.workspace),
  };
  const byId = new Map(filled.map((step) => [step.id, step]));
  const reachesCheckout = (step: EngineStep, seen = new Set<string>()): boolean =>
    (step.needs ?? []).some((need) => need === id || (!seen.has(need) && seen.add(need) && reachesCheckout(byId.get(need) ?? step, seen)));
  const wired = filled.map((step) => (step.definition.workspace && !reachesCheckout(step) ? { ...step, needs: [...(step.needs ?? []), id] } : step));
  return [...wired.slice(0, first), implied, ...wired.slice(first)];
}

export function pathOf(steps: readonly EngineStep[]): PathStep[] {
  let previous: string | undefined;
  return steps.map((step) => {
    const needs = step.needs ?? (offPath(step) || previous === undefined ? [] : [previous]);
    if (!offPath(step)) previous = step.id;
    const path: PathStep = { id: step.id, attempts: step.attempts, backoffMs: step.backoffMs, needs, onFailure: step.onFailure ?? 'fail' };
    if (step.definition.lands) path.lands = step.definition.lands;
    if (step.onTimeout) path.onTimeout = step.onTimeout;
    if (step.on) path.on = step.on;
    if (step.handler) path.handler = true;
    return path;
  });
}
