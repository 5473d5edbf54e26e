import type { TestsEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { plural, round, unavailable, type Signal } from '../signal.js';
import { EXIT_CODE_ONLY_STRENGTH, TOO_FEW_TESTS, testStrength } from './test-strength.js';

/** Each flaky test takes 15% off the run's worth (at most 30%): it passed, but only on a retry. */
const FLAKY_COST = 0.15;
/** Each pre-existing failure takes a tenth off (at most 0.3): not the change's fault, but part of the suite said nothing. */
const PRE_EXISTING_COST = 0.1;

/**
 * The tests' verdict on the change: a green run is worth as much as the suite is substantial (see
 * `testStrength`), less for flaky tests and for tests that already failed without the change; tests the
 * change makes fail are a hard gate.
 */
export function testsSignal(tests: TestsEvidence | undefined, weight = DEFAULT_WEIGHTS.signals.tests): Signal {
  if (tests === undefined) return unavailable('tests', weight, 'no tests/run step ran before the gate');
  if (!tests.ran) return unavailable('tests', weight, 'the target has no test command', { ran: false });
  const details = { total: tests.total, passed: tests.passed, failed: tests.failed, skipped: tests.skipped, flaky: tests.flaky, preExisting: tests.preExisting, failedByChange: tests.failedByChange, format: tests.format ?? 'tap' };
  if (tests.failedByChange.length > 0) {
    const reason = `${plural(tests.failedByChange.length, 'test')} fail because of the change: ${tests.failedByChange.slice(0, 5).join(', ')}`;
    return { id: 'tests', available: true, value: -1, weight, explanation: reason, details, gate: { signal: 'tests', action: 'halt', reason: `tests: ${reason}` } };
  }
  const exitCodeOnly = tests.format === 'exit-code';
  // Without names, a command that also fails on the baseline says nothing about the change at all.
  const silent = exitCodeOnly && tests.preExisting.length > 0;
  const strength = silent ? 0 : exitCodeOnly ? EXIT_CODE_ONLY_STRENGTH : testStrength(tests.passed);
  const quality = 1 - FLAKY_COST * Math.min(2, tests.flaky.length) - PRE_EXISTING_COST * Math.min(3, tests.preExisting.length);
  const value = round(strength * quality);
  const notes: string[] = [];
  if (tests.flaky.length > 0) notes.push(`${plural(tests.flaky.length, 'flaky test')} passed only on a retry (${tests.flaky.slice(0, 3).join(', ')})`);
  if (tests.preExisting.length > 0) {
    notes.push(`${plural(tests.preExisting.length, 'test')} also ${tests.preExisting.length === 1 ? 'fails' : 'fail'} without the change, so not its fault (${tests.preExisting.slice(0, 3).join(', ')})`);
  }
  let explanation: string;
  if (silent) explanation = 'the test command fails with and without the change and its output could not be read, so it says nothing about the change';
  else if (exitCodeOnly) explanation = 'the test command passed, but its output could not be read, so how much it tested is unknown';
  else if (tests.passed <= TOO_FEW_TESTS) explanation = `${tests.passed} of ${tests.total} tests passed, but ${TOO_FEW_TESTS} or fewer tests are too few to count as evidence`;
  else explanation = `${tests.passed} of ${tests.total} tests passed`;
  if (notes.length > 0) explanation += `; ${notes.join('; ')}`;
  return { id: 'tests', available: true, value, weight, explanation, details: { ...details, strength: round(strength), quality: round(quality) } };
}
