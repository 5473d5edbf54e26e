import type { SignalId } from './signal.js';

/** The model's parameters: log-odds = bias + Σ weight[signal] × value[signal]. */
export interface Weights {
  bias: number;
  signals: Record<SignalId, number>;
}

/**
 * The prior weights, chosen by hand so the default decisions are sensible before any outcome has been
 * recorded (and used as the prior mean when outcomes are fitted, `learn.ts`). Each is the most log-odds
 * its signal can add or take away; a value of ±1 moves the probability by that much.
 *
 * How they were chosen, with the default policy (auto-merge ≥ 0.9, a person ≥ 0.6) in mind:
 * - `bias` 1.0: an automated change nobody knows anything about lands safely about 73% of the time —
 *   `neutral`, so with no evidence a person looks.
 * - `tests` 3.0: a green run of a substantial suite is the strongest evidence there is; with a minor bump
 *   of one file it alone reaches `very-high` (≈ 0.97 with 12 tests).
 * - `test-evidence` 0.5: no tests, or three or fewer, costs a little on top of earning nothing from the
 *   run — enough that such a change stays between 0.6 and 0.9, a person's call, but is not halted.
 * - `canary` 2.0: a passing canary is strong evidence of runtime safety, second only to the tests.
 * - `change-kind` 1.0: a major bump costs a full point (≈ 0.73 → 0.5), a patch earns half of one.
 * - `tier` 0.75: tier 0 targets need about one point more evidence than tier 2 and 3.
 * - `target-history` 0.8, `campaign-record` 0.6: track records matter but are bounded so they cannot
 *   carry a target whose own tests say little past the auto-merge line on their own.
 * - `compliance`, `change-size`, `release-age`, `fleet-adoption` 0.5: real but secondary evidence.
 */
export const DEFAULT_WEIGHTS: Weights = {
  bias: 1.0,
  signals: {
    tests: 3.0,
    'test-evidence': 0.5,
    compliance: 0.5,
    canary: 2.0,
    'change-kind': 1.0,
    'change-size': 0.5,
    'release-age': 0.5,
    'fleet-adoption': 0.5,
    'campaign-record': 0.6,
    'target-history': 0.8,
    tier: 0.75,
  },
};

/** The default weights with some replaced (a campaign's `weights:`), keeping the rest. */
export function withWeights(base: Weights, overrides: Partial<Record<SignalId, number>> & { bias?: number } = {}): Weights {
  const { bias, ...signals } = overrides;
  const merged = { ...base.signals };
  for (const [id, weight] of Object.entries(signals) as [SignalId, number | undefined][]) if (weight !== undefined) merged[id] = weight;
  return { bias: bias ?? base.bias, signals: merged };
}
