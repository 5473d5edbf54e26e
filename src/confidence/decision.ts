import { z } from 'zod';
import type { Evidence } from './evidence.js';
import { decide, DEFAULT_POLICY, type ConfidencePolicy } from './policy.js';
import { combine, LEVELS } from './score.js';
import { SIGNAL_IDS } from './signal.js';
import { computeSignals } from './signals/index.js';
import { DEFAULT_WEIGHTS, type Weights } from './weights.js';

/** The event a gate records its decision as (`ctx.emit`); `explain`, `calibration` and learning read it back. */
export const DECISION_EVENT = 'confidence.decision';

const signalId = z.enum(SIGNAL_IDS);

/**
 * A decision with its whole trail: the thresholds and model it was made with, every signal's value,
 * weight and part, the gates, and the reasons. Tolerant on read (unknown fields are kept at the top and ignored in a signal) so a newer Flotilla can
 * add fields without older stores failing to parse.
 */
export const decisionSchema = z.looseObject({
  at: z.string(),
  probability: z.number(),
  logOdds: z.number(),
  level: z.enum(LEVELS.map((entry) => entry.level)),
  action: z.enum(['auto-merge', 'needs-human', 'halt']),
  reasons: z.array(z.string()),
  policy: z.object({ autoMerge: z.number(), needsHuman: z.number() }),
  model: z.object({ source: z.enum(['default', 'learned']), outcomes: z.number().int() }),
  bias: z.number(),
  signals: z.array(
    z.object({
      id: signalId,
      available: z.boolean(),
      value: z.number(),
      weight: z.number(),
      contribution: z.number(),
      share: z.number(),
      explanation: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
  gates: z.array(z.object({ signal: signalId, action: z.enum(['halt', 'needs-human']), reason: z.string() })),
});

export type Decision = z.infer<typeof decisionSchema>;

export interface DecideOptions {
  weights?: Weights;
  policy?: ConfidencePolicy;
  /** Where the weights came from: the defaults, or a fit on `outcomes` recorded outcomes. */
  model?: Decision['model'];
}

/** Evidence in, decision out: the signals, their combination, the gates and the campaign's thresholds. */
export function decideConfidence(evidence: Evidence, options: DecideOptions = {}): Decision {
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const policy = options.policy ?? DEFAULT_POLICY;
  const score = combine(computeSignals(evidence, weights), weights.bias);
  const verdict = decide(score, policy);
  return {
    at: evidence.now,
    probability: score.probability,
    logOdds: score.logOdds,
    level: score.level,
    action: verdict.action,
    reasons: verdict.reasons,
    policy,
    model: options.model ?? { source: 'default', outcomes: 0 },
    bias: score.bias,
    signals: score.contributions,
    gates: score.gates,
  };
}

/** The feature vector a decision was made on, by signal id (0 for a signal with no evidence): what learning fits. */
export function featuresOf(decision: Pick<Decision, 'signals'>): Record<(typeof SIGNAL_IDS)[number], number> {
  const features = Object.fromEntries(SIGNAL_IDS.map((id) => [id, 0])) as Record<(typeof SIGNAL_IDS)[number], number>;
  for (const signal of decision.signals) features[signal.id] = signal.available ? signal.value : 0;
  return features;
}
