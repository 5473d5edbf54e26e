import type { Decision } from '../decision.js';
import type { Sample } from '../learn.js';
import { sigmoid } from '../math/logistic.js';
import { decide, DEFAULT_POLICY } from '../policy.js';
import { combine } from '../score.js';
import { SIGNAL_IDS, type Signal, type SignalId } from '../signal.js';
import type { Weights } from '../weights.js';

/** mulberry32: a tiny seeded generator, so a synthetic history is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** How often each signal has evidence in the synthetic history (a canary runs on a third of targets, tests on most). */
const AVAILABILITY: Record<SignalId, number> = {
  tests: 0.85,
  'test-evidence': 1,
  compliance: 0.7,
  canary: 0.35,
  'change-kind': 0.9,
  'change-size': 0.95,
  'release-age': 0.6,
  'fleet-adoption': 0.6,
  'campaign-record': 0.8,
  'target-history': 0.5,
  tier: 1,
};

/**
 * The model the synthetic histories of the tests are drawn from: deliberately unlike the defaults, so
 * recovering it shows that fitting learned something.
 */
export const SYNTHETIC_TRUTH: Weights = {
  bias: 0.6,
  signals: { tests: 2.2, 'test-evidence': 0.9, compliance: 0.3, canary: 1.4, 'change-kind': 1.3, 'change-size': 0.2, 'release-age': 0.8, 'fleet-adoption': 0.1, 'campaign-record': 1.0, 'target-history': 0.5, tier: 0.6 },
};
export const SYNTHETIC_SEED = 20_250_630;

export interface SyntheticOutcome extends Sample {
  /** The probability the true model gave: what a perfectly calibrated predictor would say. */
  trueProbability: number;
}

/**
 * Outcomes drawn from a known logistic model: features uniform in [-1, 1] (0 when the signal has no
 * evidence, as in real decisions), and each outcome safe with the true model's probability. Fitting them
 * should give back the true weights, which is how `learn.spec.ts` checks the fit.
 */
export function syntheticHistory(truth: Weights, count: number, seed: number): SyntheticOutcome[] {
  const random = seededRandom(seed);
  const outcomes: SyntheticOutcome[] = [];
  for (let index = 0; index < count; index++) {
    const features = {} as Record<SignalId, number>;
    let z = truth.bias;
    for (const id of SIGNAL_IDS) {
      const value = random() < AVAILABILITY[id] ? random() * 2 - 1 : 0;
      features[id] = value;
      z += truth.signals[id] * value;
    }
    const trueProbability = sigmoid(z);
    outcomes.push({ features, safe: random() < trueProbability ? 1 : 0, trueProbability });
  }
  return outcomes;
}

/**
 * A decision as the gate would have recorded it for a synthetic feature vector (every signal's value
 * given, its evidence a placeholder), so a synthetic history can go through the same store, ledger and
 * commands as real decisions.
 */
export function decisionFor(features: Record<SignalId, number>, weights: Weights, now: string): Decision {
  const signals: Signal[] = SIGNAL_IDS.map((id) => ({ id, available: features[id] !== 0, value: features[id], weight: weights.signals[id], explanation: `synthetic ${id} ${features[id].toFixed(2)}`, details: {} }));
  const score = combine(signals, weights.bias);
  const verdict = decide(score, DEFAULT_POLICY);
  return { at: now, probability: score.probability, logOdds: score.logOdds, level: score.level, action: verdict.action, reasons: verdict.reasons, policy: DEFAULT_POLICY, model: { source: 'default', outcomes: 0 }, bias: score.bias, signals: score.contributions, gates: score.gates };
}
