/**
 * The confidence model: pure functions from evidence about one change on one target to a probability that
 * it is safe, a level, each signal's part, hard gates, and a campaign's decision — plus learning the
 * weights from recorded outcomes and checking calibration. No I/O and no clock: time comes in the evidence.
 */
export { brierScore, calibrationError, reliabilityTable, type Prediction, type ReliabilityBucket } from './calibration.js';
export { DECISION_EVENT, decideConfidence, decisionSchema, featuresOf, type DecideOptions, type Decision } from './decision.js';
export type {
  AdoptionEvidence,
  CanaryEvidence,
  ChangeEvidence,
  ChangeKind,
  ComplianceEvidence,
  Evidence,
  ReleaseEvidence,
  TestsEvidence,
  TrackRecord,
} from './evidence.js';
export type { ConfidenceHistory } from './history.js';
export { fitLogistic, learnWeights, MIN_OUTCOMES_TO_LEARN, predict, type Fit, type FitOptions, type Learned, type Sample } from './learn.js';
export { betaCdf, betaQuantile, logBeta, logGamma, regularizedIncompleteBeta } from './math/beta.js';
export { logit, sigmoid } from './math/logistic.js';
export { decide, DEFAULT_POLICY, weakSignalReasons, type Action, type ConfidencePolicy, type Verdict } from './policy.js';
export { combine, levelOf, LEVELS, type Contribution, type Level, type Score } from './score.js';
export { clamp, SIGNAL_IDS, type Gate, type GateAction, type Signal, type SignalId } from './signal.js';
export * from './signals/index.js';
export { DEFAULT_WEIGHTS, withWeights, type Weights } from './weights.js';
