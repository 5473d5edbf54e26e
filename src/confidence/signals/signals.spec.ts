import { describe, expect, it } from 'vitest';
import { canarySignal } from './canary.js';
import { changeKindSignal, largestKind } from './change-kind.js';
import { changeSizeSignal } from './change-size.js';
import { complianceSignal } from './compliance.js';
import { fleetAdoptionSignal } from './fleet-adoption.js';
import { releaseAgeSignal } from './release-age.js';
import { tierSignal } from './tier.js';

describe('the compliance signal', () => {
  const pass = (warn: number) => ({ verdict: 'pass' as const, counts: { block: 0, warn, info: 1 }, findings: Array.from({ length: warn }, (_, i) => ({ severity: 'warn' as const, reason: `warning ${i}` })) });
  it.each([
    [0, 1],
    [1, 0.5],
    [2, 0],
    [5, -1],
  ])('with %i warnings is worth %d', (warn, value) => expect(complianceSignal(pass(warn)).value).toBe(value));

  it('is unavailable without a check, and a needs-human gate when a finding blocks', () => {
    expect(complianceSignal(undefined).available).toBe(false);
    const blocked = complianceSignal({ verdict: 'block', counts: { block: 1, warn: 0, info: 0 }, findings: [{ severity: 'block', reason: 'licenses: GPL-3.0-only is denied' }] });
    expect(blocked).toMatchObject({ value: -1, gate: { action: 'needs-human', reason: 'compliance: 1 blocking finding: licenses: GPL-3.0-only is denied' } });
  });
});

describe('the canary signal', () => {
  it.each([
    ['pass', false, 1, true],
    ['marginal', false, -0.5, true],
    ['pass', true, 0, false],
  ] as const)('%s (inconclusive: %s) is worth %d', (verdict, inconclusive, value, available) => {
    const signal = canarySignal({ verdict, inconclusive, score: 80 });
    expect(signal).toMatchObject({ value, available });
    expect(signal.gate).toBeUndefined();
  });

  it('halts on a failed canary and is unavailable without one', () => {
    expect(canarySignal({ verdict: 'fail', inconclusive: false, score: 20 }).gate).toEqual({ signal: 'canary', action: 'halt', reason: 'canary: the canary failed with score 20' });
    expect(canarySignal(undefined).available).toBe(false);
  });
});

describe('the change signals', () => {
  const bump = (kind: 'major' | 'minor' | 'patch' | 'prerelease' | 'none') => ({ kind, bumps: [{ package: 'debug', from: '4.3.0', to: '4.4.1', kind }], files: 2 });
  it.each([
    ['patch', 0.5],
    ['minor', 0],
    ['major', -1],
    ['prerelease', -1],
  ] as const)('a %s bump is worth %d', (kind, value) => {
    expect(changeKindSignal(bump(kind))).toMatchObject({ available: true, value });
  });

  it('takes the largest move of several bumps and ignores a change that bumps nothing', () => {
    expect(largestKind(['patch', 'major', 'minor'])).toBe('major');
    expect(largestKind([])).toBeUndefined();
    expect(changeKindSignal(bump('none')).available).toBe(false);
    expect(changeKindSignal(bump('patch')).explanation).toBe('debug 4.3.0 → 4.4.1 is a patch release, which should change no behaviour');
  });

  it.each([
    [1, undefined, 'tiny', 1],
    [2, 15, 'tiny', 1],
    [2, 150, 'small', 0.3],
    [30, undefined, 'medium', -0.3],
    [3, 5000, 'large', -1],
  ])('%i files and %s lines are %s', (files, lines, bucket, value) => {
    const change = lines === undefined ? { bumps: [], files } : { bumps: [], files, lines };
    expect(changeSizeSignal(change)).toMatchObject({ value, details: { bucket } });
  });
});

describe('the release-age signal', () => {
  const now = '2025-06-30T12:00:00Z';
  const released = (days: number) => ({ package: 'debug', version: '4.4.1', releasedAt: new Date(Date.parse(now) - days * 86_400_000).toISOString() });
  it.each([
    [0.5, -1],
    [1.75, -1],
    [7, 0],
    [14, 0.5],
    [28, 1],
    [400, 1],
  ])('a release %d days old is worth %d', (days, value) => {
    expect(releaseAgeSignal(released(days), now).value).toBeCloseTo(value, 4);
  });

  it('says how old, and is unavailable without a time', () => {
    expect(releaseAgeSignal(released(2), now).explanation).toBe('debug@4.4.1 was released 2 days ago, young: fresh releases are the ones still being fixed');
    expect(releaseAgeSignal(undefined, now).available).toBe(false);
    expect(releaseAgeSignal({ package: 'a', version: '1.0.0', releasedAt: 'yesterday' }, now).available).toBe(false);
  });
});

describe('the fleet-adoption signal', () => {
  it.each([
    [0, 0],
    [1, Math.log(2) / Math.log(11)],
    [10, 1],
    [40, 1],
  ])('%i adopters are worth %d', (adopted, value) => {
    expect(fleetAdoptionSignal({ package: 'debug', version: '4.4.1', adopted, total: 50 }).value).toBeCloseTo(value, 4);
  });

  it('is unavailable when nothing is known', () => {
    expect(fleetAdoptionSignal(undefined).available).toBe(false);
    expect(fleetAdoptionSignal({ package: 'debug', version: '4.4.1', adopted: 0, total: 0 }).available).toBe(false);
  });
});

describe('the tier signal', () => {
  it.each([
    [0, -1],
    [1, -0.5],
    [2, 0],
    [3, 0],
  ])('tier %i is worth %d', (tier, value) => expect(tierSignal(tier)).toMatchObject({ available: true, value }));
});
