import { sigmoid } from './math/logistic.js';
import { round, type Gate, type Signal, type SignalId } from './signal.js';

/**
 * Confidence levels by probability that the change is safe on this target. The words are for people
 * (`flotilla explain`, the dashboard); decisions use the campaign's own thresholds (`policy.ts`).
 * - `very-high` ≥ 0.95: fewer than one such change in twenty expected to go wrong;
 * - `high` ≥ 0.85;
 * - `neutral` ≥ 0.6: the evidence leans to safe but not by much;
 * - `low` below 0.6.
 */
export const LEVELS = [
  { level: 'very-high', from: 0.95 },
  { level: 'high', from: 0.85 },
  { level: 'neutral', from: 0.6 },
  { level: 'low', from: 0 },
] as const;

export type Level = (typeof LEVELS)[number]['level'];

export function levelOf(probability: number): Level {
  for (const entry of LEVELS) if (probability >= entry.from) return entry.level;
  return 'low';
}

/** One signal's part in a decision. */
export interface Contribution {
  id: SignalId;
  available: boolean;
  value: number;
  weight: number;
  /** weight × value, in log-odds. */
  contribution: number;
  /** |contribution| over the sum of every signal's |contribution|: how much of the decision this signal made. */
  share: number;
  explanation: string;
  details: Record<string, unknown>;
}

export interface Score {
  bias: number;
  /** bias + Σ contributions. */
  logOdds: number;
  /** σ(logOdds): the probability the change is safe on this target. */
  probability: number;
  level: Level;
  /** Every signal, available or not, in the order given. */
  contributions: Contribution[];
  /** Findings that stop an automatic merge whatever the probability. */
  gates: Gate[];
}

/**
 * The combiner: a logistic model, log-odds = bias + Σ weight·value. Additive in log-odds so each signal's
 * part can be shown on its own and the weights can be learned from outcomes by logistic regression
 * (`learn.ts`). Hard gates stand beside the score, not inside it: no weight can buy a failing test back.
 */
export function combine(signals: readonly Signal[], bias: number): Score {
  const raw = signals.map((signal) => signal.weight * signal.value);
  const total = raw.reduce((sum, value) => sum + Math.abs(value), 0);
  const contributions = signals.map((signal, index): Contribution => {
    const contribution = raw[index] ?? 0;
    return {
      id: signal.id,
      available: signal.available,
      value: signal.value,
      weight: signal.weight,
      contribution: round(contribution),
      share: total === 0 ? 0 : round(Math.abs(contribution) / total),
      explanation: signal.explanation,
      details: signal.details,
    };
  });
  const logOdds = bias + raw.reduce((sum, value) => sum + value, 0);
  const probability = sigmoid(logOdds);
  const gates = signals.flatMap((signal) => (signal.gate ? [signal.gate] : []));
  return { bias, logOdds: round(logOdds), probability: round(probability), level: levelOf(probability), contributions, gates };
}
