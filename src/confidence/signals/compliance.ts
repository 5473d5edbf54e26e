import type { ComplianceEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { clamp, plural, unavailable, type Signal } from '../signal.js';

/** Each warning takes half a point off a clean verdict: two warnings are neutral, four or more count against. */
const WARNING_COST = 0.5;

/**
 * The compliance verdict: a blocking finding is a hard gate (a person decides: a policy may grant an
 * exception, which is why it is not a halt); a clean pass is mild evidence for; warnings lower it.
 */
export function complianceSignal(compliance: ComplianceEvidence | undefined, weight = DEFAULT_WEIGHTS.signals.compliance): Signal {
  if (compliance === undefined) return unavailable('compliance', weight, 'no compliance/check step ran before the gate');
  const details = { verdict: compliance.verdict, counts: compliance.counts };
  const blocking = compliance.findings.filter((finding) => finding.severity === 'block').map((finding) => finding.reason);
  if (compliance.verdict === 'block') {
    const reason = `${plural(compliance.counts.block, 'blocking finding')}${blocking.length > 0 ? `: ${blocking.slice(0, 3).join('; ')}` : ''}`;
    return { id: 'compliance', available: true, value: -1, weight, explanation: reason, details, gate: { signal: 'compliance', action: 'needs-human', reason: `compliance: ${reason}` } };
  }
  const warnings = compliance.counts.warn;
  if (warnings === 0) return { id: 'compliance', available: true, value: 1, weight, explanation: 'the policy passed with no warnings', details };
  const reasons = compliance.findings.filter((finding) => finding.severity === 'warn').map((finding) => finding.reason);
  const value = clamp(1 - WARNING_COST * warnings);
  const explanation = `the policy passed with ${plural(warnings, 'warning')}${reasons.length > 0 ? `: ${reasons.slice(0, 3).join('; ')}` : ''}`;
  return { id: 'compliance', available: true, value, weight, explanation, details };
}
