import type { Contribution, Score } from './score.js';

/** A campaign's thresholds: at or above `autoMerge` the path goes on; at or above `needsHuman` a person decides; below, the run halts. */
export interface ConfidencePolicy {
  autoMerge: number;
  needsHuman: number;
}

export const DEFAULT_POLICY: ConfidencePolicy = { autoMerge: 0.9, needsHuman: 0.6 };

export type Action = 'auto-merge' | 'needs-human' | 'halt';

export interface Verdict {
  action: Action;
  /** Why, for a person: the gates, then the weak signals, the weightiest first. */
  reasons: string[];
}

/** What a signal left on the table: weight × (1 − value), the log-odds a full value would have added. */
function shortfall(contribution: Contribution): number {
  return contribution.weight * (1 - contribution.value);
}

/** A shortfall of 1.5 log-odds is more than a factor of four in the odds: worth a person's attention. */
const WEAK_SHORTFALL = 1.5;

/**
 * A signal a person should look at: it had evidence, and it counts against the change or it held the
 * score back by at least {@link WEAK_SHORTFALL} (a green run of two tests: weight 3, value 0). A neutral
 * minor bump or an ordinary tier is not weak.
 */
function isWeak(contribution: Contribution): boolean {
  if (!contribution.available) return false;
  return contribution.value < 0 || shortfall(contribution) >= WEAK_SHORTFALL;
}

/**
 * The weak signals as reasons, ordered by how much each held the score back, each naming its signal
 * (`test-evidence: only 2 tests checked the change; …`). When none is weak the evidence is merely thin,
 * and the reason says which signals were missing.
 */
export function weakSignalReasons(score: Score): string[] {
  const weak = score.contributions.filter(isWeak).sort((a, b) => shortfall(b) - shortfall(a));
  if (weak.length > 0) return weak.map((contribution) => `${contribution.id}: ${contribution.explanation}`);
  const missing = score.contributions.filter((contribution) => !contribution.available).sort((a, b) => b.weight - a.weight);
  const names = missing.slice(0, 3).map((contribution) => contribution.id);
  return [`no signal is weak but the evidence is thin${names.length > 0 ? `: no evidence from ${names.join(', ')}` : ''}`];
}

/** Two decimals, or as many more as it takes not to print 0.60 for a probability just below a 0.6 threshold. */
function compared(value: number, threshold: number): string {
  let digits = 2;
  while (digits < 6 && value !== threshold && value.toFixed(digits) === threshold.toFixed(digits)) digits += 1;
  return value.toFixed(digits);
}

const percent = (value: number): string => value.toFixed(2);

/**
 * Applies a campaign's thresholds to a score. Hard gates come first: a `halt` gate (tests the change
 * breaks, a failed canary) halts whatever the probability, a `needs-human` gate (a blocking policy
 * finding) hands the change to a person. Otherwise the probability decides.
 */
export function decide(score: Score, policy: ConfidencePolicy = DEFAULT_POLICY): Verdict {
  const halts = score.gates.filter((gate) => gate.action === 'halt');
  if (halts.length > 0) return { action: 'halt', reasons: halts.map((gate) => gate.reason) };
  const holds = score.gates.filter((gate) => gate.action === 'needs-human');
  if (holds.length > 0) return { action: 'needs-human', reasons: holds.map((gate) => gate.reason) };
  const confidence = (threshold: number): string => `confidence ${compared(score.probability, threshold)} (${score.level})`;
  if (score.probability >= policy.autoMerge) return { action: 'auto-merge', reasons: [`${confidence(policy.autoMerge)} is at or above the auto-merge threshold ${percent(policy.autoMerge)}`] };
  if (score.probability >= policy.needsHuman) {
    return { action: 'needs-human', reasons: [`${confidence(policy.autoMerge)} is below the auto-merge threshold ${percent(policy.autoMerge)}`, ...weakSignalReasons(score)] };
  }
  return { action: 'halt', reasons: [`${confidence(policy.needsHuman)} is below the needs-human threshold ${percent(policy.needsHuman)}`, ...weakSignalReasons(score)] };
}
