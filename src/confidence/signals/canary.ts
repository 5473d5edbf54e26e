import type { CanaryEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { unavailable, type Signal } from '../signal.js';

/** A marginal canary counts half against: some metrics moved the wrong way, not enough to fail it. */
const MARGINAL_VALUE = -0.5;

/**
 * The canary's verdict: a pass is strong evidence; marginal lowers confidence; a failed canary is a hard
 * gate; an inconclusive one (too little data) is no evidence at all — never a silent pass.
 */
export function canarySignal(canary: CanaryEvidence | undefined, weight = DEFAULT_WEIGHTS.signals.canary): Signal {
  if (canary === undefined) return unavailable('canary', weight, 'no canary ran before the gate');
  const details = { verdict: canary.verdict, score: canary.score, inconclusive: canary.inconclusive };
  if (canary.inconclusive) return unavailable('canary', weight, `the canary was inconclusive (score ${canary.score}): too little data to count either way`, details);
  if (canary.verdict === 'fail') {
    const reason = `the canary failed with score ${canary.score}`;
    return { id: 'canary', available: true, value: -1, weight, explanation: reason, details, gate: { signal: 'canary', action: 'halt', reason: `canary: ${reason}` } };
  }
  if (canary.verdict === 'marginal') return { id: 'canary', available: true, value: MARGINAL_VALUE, weight, explanation: `the canary was marginal (score ${canary.score})`, details };
  return { id: 'canary', available: true, value: 1, weight, explanation: `the canary passed with score ${canary.score}`, details };
}
