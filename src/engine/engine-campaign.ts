import type { AnyStep } from '../sdk/step.js';
import type { TargetFacts } from '../model/fleet.js';
import type { PathStep } from './commands.js';

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
}

/** A campaign as the engine runs it. */
export interface EngineCampaign {
  name: string;
  hash: string;
  file: string;
  spec: unknown;
  change: { title: string; body: string };
  steps: EngineStep[];
}

export const CHECKOUT_TIMEOUT_MS = 10 * 60_000;

/**
 * Inserts the implied `git/checkout` before the first step that needs a workspace, unless the path
 * already checks out there.
 */
export function withImpliedCheckout(steps: readonly EngineStep[], checkout: AnyStep): EngineStep[] {
  const first = steps.findIndex((step) => step.definition.workspace);
  if (first === -1) return [...steps];
  if (steps.slice(0, first + 1).some((step) => step.uses === checkout.id)) return [...steps];
  const taken = new Set(steps.map((step) => step.id));
  const id = taken.has('checkout') ? 'git-checkout' : 'checkout';
  const implied: EngineStep = { id, uses: checkout.id, definition: checkout, with: {}, timeoutMs: CHECKOUT_TIMEOUT_MS, attempts: 3, backoffMs: 1000 };
  return [...steps.slice(0, first), implied, ...steps.slice(first)];
}

export function pathOf(steps: readonly EngineStep[]): PathStep[] {
  return steps.map((step) => {
    const path: PathStep = { id: step.id, attempts: step.attempts, backoffMs: step.backoffMs };
    if (step.definition.lands) path.lands = step.definition.lands;
    return path;
  });
}
