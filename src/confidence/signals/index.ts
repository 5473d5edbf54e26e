import type { Evidence } from '../evidence.js';
import type { Signal } from '../signal.js';
import { DEFAULT_WEIGHTS, type Weights } from '../weights.js';
import { campaignRecordSignal } from './campaign-record.js';
import { canarySignal } from './canary.js';
import { changeKindSignal } from './change-kind.js';
import { changeSizeSignal } from './change-size.js';
import { complianceSignal } from './compliance.js';
import { fleetAdoptionSignal } from './fleet-adoption.js';
import { releaseAgeSignal } from './release-age.js';
import { targetHistorySignal } from './target-history.js';
import { testEvidenceSignal } from './test-evidence.js';
import { testsSignal } from './tests.js';
import { tierSignal } from './tier.js';

/** Every signal of a piece of evidence, in `SIGNAL_IDS` order, with the given weights. */
export function computeSignals(evidence: Evidence, weights: Weights = DEFAULT_WEIGHTS): Signal[] {
  const w = weights.signals;
  return [
    testsSignal(evidence.tests, w.tests),
    testEvidenceSignal(evidence.tests, w['test-evidence']),
    complianceSignal(evidence.compliance, w.compliance),
    canarySignal(evidence.canary, w.canary),
    changeKindSignal(evidence.change, w['change-kind']),
    changeSizeSignal(evidence.change, w['change-size']),
    releaseAgeSignal(evidence.release, evidence.now, w['release-age']),
    fleetAdoptionSignal(evidence.adoption, w['fleet-adoption']),
    campaignRecordSignal(evidence.campaignRecord, w['campaign-record']),
    targetHistorySignal(evidence.targetHistory, w['target-history']),
    tierSignal(evidence.tier, w.tier),
  ];
}

export { campaignRecordSignal, RECORD_CREDIBILITY, RECORD_PRIOR } from './campaign-record.js';
export { canarySignal } from './canary.js';
export { changeKindSignal, largestKind } from './change-kind.js';
export { changeSizeSignal } from './change-size.js';
export { complianceSignal } from './compliance.js';
export { fleetAdoptionSignal } from './fleet-adoption.js';
export { releaseAgeSignal } from './release-age.js';
export { HISTORY_PRIOR, targetHistorySignal } from './target-history.js';
export { testEvidenceSignal } from './test-evidence.js';
export { EXIT_CODE_ONLY_STRENGTH, FULL_SUITE, TOO_FEW_TESTS, testStrength } from './test-strength.js';
export { testsSignal } from './tests.js';
export { tierSignal } from './tier.js';
