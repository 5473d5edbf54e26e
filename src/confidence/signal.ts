/**
 * The shape every confidence signal returns. A signal turns one piece of evidence (a test run, a policy
 * verdict, a canary score, how this campaign went elsewhere) into one number a logistic model can add up,
 * plus a sentence a person can read. Keeping the number and the sentence together is what lets a decision
 * be explained term by term (`flotilla explain`).
 */

/** Every signal, in the order decisions list them. */
export const SIGNAL_IDS = [
  'tests',
  'test-evidence',
  'compliance',
  'canary',
  'change-kind',
  'change-size',
  'release-age',
  'fleet-adoption',
  'campaign-record',
  'target-history',
  'tier',
] as const;

export type SignalId = (typeof SIGNAL_IDS)[number];

/**
 * What a hard gate does whatever the score: `halt` ends the run as failed (the change broke something),
 * `needs-human` hands it to a person (a policy may grant an exception).
 */
export type GateAction = 'halt' | 'needs-human';

/** A finding no amount of other evidence outweighs: failing tests caused by the change, a failed canary, a blocking policy finding. */
export interface Gate {
  signal: SignalId;
  action: GateAction;
  reason: string;
}

export interface Signal {
  id: SignalId;
  /** False when there is no evidence of this kind; its value is then 0 and it adds nothing. */
  available: boolean;
  /**
   * The feature the model weighs, from -1 (evidence the change is risky) through 0 (no evidence either
   * way) to +1 (evidence it is safe). Signed so that "unavailable" and "neutral" mean the same thing: 0.
   */
  value: number;
  /** Log-odds per unit of `value`: the most this signal can move the decision, either way. */
  weight: number;
  /** One plain sentence: what the evidence says. */
  explanation: string;
  /** The numbers behind the sentence, for `--json` and the dashboard. */
  details: Record<string, unknown>;
  /** Set when this evidence stops an automatic merge outright. */
  gate?: Gate;
}

/** Clamps to [low, high]; the features are bounded so one wild input cannot swamp the rest. */
export function clamp(value: number, low = -1, high = 1): number {
  return Math.min(high, Math.max(low, value));
}

/** A signal with no evidence: value 0, so its weight does not matter to the score. */
export function unavailable(id: SignalId, weight: number, explanation: string, details: Record<string, unknown> = {}): Signal {
  return { id, available: false, value: 0, weight, explanation, details };
}

/** Rounds for display and storage (decisions are read by people and compared by tests). */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `1 test`, `3 tests`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
