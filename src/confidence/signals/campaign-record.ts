import type { TrackRecord } from '../evidence.js';
import { betaQuantile } from '../math/beta.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { clamp, round, unavailable, type Signal } from '../signal.js';

/** Beta(1, 1): every success rate equally likely before the first target finishes. */
export const RECORD_PRIOR = { alpha: 1, beta: 1 } as const;
/** The credible interval is 90%: the record is judged on its 5% and 95% quantiles. */
export const RECORD_CREDIBILITY = 0.9;
/** A lower bound from 0.5 (nothing) to 0.95 (full) counts for the change. */
const TRUST_FROM = 0.5;
const TRUST_FULL = 0.95;
/** An upper bound under 0.7 — the campaign clearly breaks more than three targets in ten — counts against, fully at 0.4. */
const DISTRUST_BELOW = 0.7;
const DISTRUST_FULL = 0.4;

/**
 * How this campaign went on the targets that finished before this one, as a Beta-Binomial posterior.
 * It is judged on the interval, not the mean: three successes out of three is a mean of 0.8 but a lower
 * bound of 0.47 — too little to trust — while 40 out of 40 has a lower bound of 0.93. Only a lower bound
 * above one half counts for the change, and only an upper bound below 0.7 counts against it, so a young
 * campaign is no evidence either way rather than evidence of risk.
 */
export function campaignRecordSignal(record: TrackRecord | undefined, weight = DEFAULT_WEIGHTS.signals['campaign-record']): Signal {
  if (record === undefined || record.successes + record.failures === 0) {
    return unavailable('campaign-record', weight, 'no earlier target of this campaign has finished yet');
  }
  const alpha = RECORD_PRIOR.alpha + record.successes;
  const beta = RECORD_PRIOR.beta + record.failures;
  const tail = (1 - RECORD_CREDIBILITY) / 2;
  const lower = betaQuantile(tail, alpha, beta);
  const upper = betaQuantile(1 - tail, alpha, beta);
  let value = 0;
  if (upper < DISTRUST_BELOW) value = -clamp((DISTRUST_BELOW - upper) / (DISTRUST_BELOW - DISTRUST_FULL), 0, 1);
  else if (lower > TRUST_FROM) value = clamp((lower - TRUST_FROM) / (TRUST_FULL - TRUST_FROM), 0, 1);
  const finished = record.successes + record.failures;
  const range = `${Math.round(lower * 100)}%–${Math.round(upper * 100)}%`;
  const judgement = value > 0 ? 'a record to build on' : value < 0 ? 'this campaign breaks too many targets' : 'too little to go on yet';
  return {
    id: 'campaign-record',
    available: true,
    value: round(value),
    weight,
    explanation: `${record.successes} of ${finished} earlier targets of this campaign succeeded; the success rate is ${range} (90% credible): ${judgement}`,
    details: { successes: record.successes, failures: record.failures, prior: RECORD_PRIOR, lower: round(lower), upper: round(upper), mean: round(alpha / (alpha + beta)) },
  };
}
