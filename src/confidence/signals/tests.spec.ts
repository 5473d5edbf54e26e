import { describe, expect, it } from 'vitest';
import type { TestsEvidence } from '../evidence.js';
import { testEvidenceSignal } from './test-evidence.js';
import { testStrength } from './test-strength.js';
import { testsSignal } from './tests.js';

function run(passed: number, extra: Partial<TestsEvidence> = {}): TestsEvidence {
  const flaky = extra.flaky ?? [];
  const preExisting = extra.preExisting ?? [];
  const failedByChange = extra.failedByChange ?? [];
  const failed = flaky.length + preExisting.length + failedByChange.length;
  return { ran: true, total: passed + failed, passed, failed, skipped: 0, flaky, preExisting, failedByChange, format: 'tap', ...extra };
}

describe('test strength', () => {
  it.each([
    [0, 0],
    [3, 0],
    [20, 1],
    [200, 1],
  ])('%i tests are worth %d', (count, strength) => expect(testStrength(count)).toBe(strength));

  it('grows with the logarithm of the count between 3 and 20', () => {
    expect(testStrength(4)).toBeCloseTo(Math.log(4 / 3) / Math.log(20 / 3), 12);
    expect(testStrength(12)).toBeGreaterThan(0.7);
    expect(testStrength(12)).toBeLessThan(0.75);
    expect(testStrength(10) - testStrength(5)).toBeLessThan(testStrength(5) - testStrength(4) + testStrength(10) - testStrength(6));
  });
});

describe('the tests signal', () => {
  it('is unavailable without a tests/run step or a test command', () => {
    expect(testsSignal(undefined)).toMatchObject({ available: false, value: 0, explanation: 'no tests/run step ran before the gate' });
    expect(testsSignal({ ...run(0), ran: false })).toMatchObject({ available: false, value: 0, explanation: 'the target has no test command' });
  });

  it('counts a green full suite fully and a green run of three tests for nothing', () => {
    expect(testsSignal(run(25))).toMatchObject({ available: true, value: 1, explanation: '25 of 25 tests passed' });
    const few = testsSignal(run(2));
    expect(few).toMatchObject({ available: true, value: 0 });
    expect(few.explanation).toBe('2 of 2 tests passed, but 3 or fewer tests are too few to count as evidence');
  });

  it('takes 15% off per flaky test and a tenth per pre-existing failure, naming them', () => {
    const flaky = testsSignal(run(20, { flaky: ['retries the queue'] }));
    expect(flaky.value).toBeCloseTo(0.85, 10);
    expect(flaky.explanation).toContain('1 flaky test passed only on a retry (retries the queue)');
    const old = testsSignal(run(20, { preExisting: ['a', 'b'] }));
    expect(old.value).toBeCloseTo(0.8, 10);
    expect(old.explanation).toContain('2 tests also fail without the change, so not its fault (a, b)');
    expect(old.gate).toBeUndefined();
  });

  it('is a hard gate when the change makes tests fail', () => {
    const broken = testsSignal(run(10, { failedByChange: ['parses dates', 'formats money'] }));
    expect(broken).toMatchObject({ value: -1, gate: { signal: 'tests', action: 'halt', reason: 'tests: 2 tests fail because of the change: parses dates, formats money' } });
  });

  it('gives a green exit code with unreadable output a quarter', () => {
    expect(testsSignal({ ...run(0), format: 'exit-code' })).toMatchObject({ value: 0.25, explanation: expect.stringContaining('could not be read') as string });
    expect(testEvidenceSignal({ ...run(0), format: 'exit-code' }).value).toBe(-0.75);
  });

  it('gives nothing to a command that fails with and without the change when its output is unreadable', () => {
    const both = { ...run(0), format: 'exit-code' as const, preExisting: ['npm test'] };
    expect(testsSignal(both)).toMatchObject({ value: 0, explanation: expect.stringContaining('says nothing about the change') as string });
    expect(testEvidenceSignal(both).value).toBe(-1);
  });
});

describe('the test-evidence signal', () => {
  it.each([
    ['no tests/run step', undefined, -1, 'no tests ran before the gate'],
    ['no test command', { ...run(0), ran: false }, -1, 'the target has no tests'],
    ['a command that ran nothing', run(0), -1, 'the test command ran no tests'],
    ['two tests', run(2), -1, 'only 2 tests checked the change; 3 or fewer count for nothing'],
    ['a full suite', run(20), 0, '20 tests checked the change: a full suite'],
  ])('%s', (_name, tests, value, explanation) => {
    expect(testEvidenceSignal(tests)).toMatchObject({ id: 'test-evidence', available: true, value, explanation });
  });

  it('charges the missing part of a full suite in between, and does not count flaky or pre-existing tests', () => {
    const twelve = testEvidenceSignal(run(12));
    expect(twelve.value).toBeCloseTo(-(1 - testStrength(12)), 4);
    expect(testEvidenceSignal(run(12, { flaky: ['x'], preExisting: ['y'] })).value).toBe(twelve.value);
  });
});
