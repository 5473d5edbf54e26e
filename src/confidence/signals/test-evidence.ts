import type { TestsEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { round, type Signal } from '../signal.js';
import { EXIT_CODE_ONLY_STRENGTH, FULL_SUITE, TOO_FEW_TESTS, testStrength } from './test-strength.js';

/**
 * How much the target's tests can say at all, whatever they said: no tests, or very few, is itself
 * evidence of risk — a green run of nothing is not a reason to merge. The value is minus the part of a
 * full suite that is missing, so a target with 20 or more tests pays nothing and one without tests pays
 * the whole weight.
 */
export function testEvidenceSignal(tests: TestsEvidence | undefined, weight = DEFAULT_WEIGHTS.signals['test-evidence']): Signal {
  const signal = (value: number, explanation: string, details: Record<string, unknown>): Signal => ({ id: 'test-evidence', available: true, value: round(value), weight, explanation, details });
  if (tests === undefined) return signal(-1, 'no tests ran before the gate', { tests: 0 });
  if (!tests.ran) return signal(-1, 'the target has no tests', { tests: 0 });
  if (tests.format === 'exit-code' && tests.preExisting.length > 0) return signal(-1, 'the test command fails with and without the change: no test checked it', { tests: null });
  if (tests.format === 'exit-code') {
    return signal(-(1 - EXIT_CODE_ONLY_STRENGTH), 'the number of tests is unknown (only the exit code was read)', { tests: null });
  }
  // The tests that passed cleanly are the ones that checked the change: flaky and pre-existing failures did not.
  const counted = tests.passed;
  const strength = testStrength(counted);
  const details = { tests: counted, strength: round(strength), fullSuite: FULL_SUITE };
  if (tests.total === 0) return signal(-1, 'the test command ran no tests', details);
  if (strength === 0) return signal(-1, `only ${counted} tests checked the change; ${TOO_FEW_TESTS} or fewer count for nothing`, details);
  if (strength === 1) return signal(0, `${counted} tests checked the change: a full suite`, details);
  return signal(-(1 - strength), `${counted} tests checked the change; a suite of ${FULL_SUITE} or more would count fully`, details);
}
