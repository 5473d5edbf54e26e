import type { TrackRecord } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { clamp, round, unavailable, type Signal } from '../signal.js';

/** Beta(4, 1): automated changes usually land well, so a target starts at a mean of 0.8 and one bad change does not condemn it. */
export const HISTORY_PRIOR = { alpha: 4, beta: 1 } as const;
/** The prior mean is neutral; each 0.2 above or below it is a full point. */
const NEUTRAL_MEAN = 0.8;

/**
 * How this target took earlier automated changes (other campaigns): merged and healthy, or reverted,
 * broken, failed. The posterior mean under an optimistic prior, so a short history moves it a little and
 * a long one a lot.
 */
export function targetHistorySignal(history: TrackRecord | undefined, weight = DEFAULT_WEIGHTS.signals['target-history']): Signal {
  if (history === undefined || history.successes + history.failures === 0) {
    return unavailable('target-history', weight, 'this target has no earlier automated changes on record');
  }
  const mean = (HISTORY_PRIOR.alpha + history.successes) / (HISTORY_PRIOR.alpha + HISTORY_PRIOR.beta + history.successes + history.failures);
  const value = clamp((mean - NEUTRAL_MEAN) / (1 - NEUTRAL_MEAN));
  const total = history.successes + history.failures;
  const judgement = value > 0 ? 'it takes automated changes well' : value < 0 ? 'automated changes have gone wrong here before' : 'a mixed record';
  return {
    id: 'target-history',
    available: true,
    value: round(value),
    weight,
    explanation: `${history.successes} of ${total} earlier automated changes to this target went well: ${judgement}`,
    details: { successes: history.successes, failures: history.failures, prior: HISTORY_PRIOR, mean: round(mean) },
  };
}
