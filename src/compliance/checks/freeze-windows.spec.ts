import { describe, expect, it } from 'vitest';
import { makeFacts } from '../testing.js';
import { freezeWindowsCheck, localTime } from './freeze-windows.js';

const params = {
  dates: [
    { name: 'year-end freeze', from: '2025-12-23', to: '2026-01-01', timezone: 'Europe/Paris' },
    { name: 'launch', from: '2025-09-10T08:00:00Z', to: '2025-09-10T20:00:00Z', tiers: [0, 1], severity: 'warn' as const },
  ],
  weekly: [
    { name: 'no Friday deploys', days: ['fri' as const], from: '16:00', to: '23:59', timezone: 'America/New_York' },
    { name: 'weekend nights', days: ['sat' as const], from: '22:00', to: '06:00', timezone: 'UTC', tiers: [0] },
  ],
};

function run(now: string, tier?: number) {
  const facts = makeFacts({ now, target: { tier } });
  return freezeWindowsCheck.run(facts, params, {}).map((finding) => [finding.severity, finding.message.split(':')[1]?.split('(')[0]?.trim()]);
}

describe('freeze-windows', () => {
  it.each([
    ['the first day of a date freeze, local time', '2025-12-22T23:30:00Z', 1, [['block', 'year-end freeze']]],
    ['the day before, local time', '2025-12-22T22:30:00Z', 1, []],
    ['the last day, inclusive', '2026-01-01T22:59:00Z', 1, [['block', 'year-end freeze']]],
    ['the day after', '2026-01-01T23:00:00Z', 1, []],
    ['an instant window, for a listed tier', '2025-09-10T12:00:00Z', 1, [['warn', 'launch']]],
    ['an instant window, another tier', '2025-09-10T12:00:00Z', 3, []],
    ['an instant window, unknown tier', '2025-09-10T12:00:00Z', undefined, []],
    ['an instant window ends exclusively', '2025-09-10T20:00:00Z', 1, []],
    ['Friday 16:00 in New York (summer time)', '2025-06-06T20:00:00Z', 2, [['block', 'no Friday deploys']]],
    ['Friday 15:59 in New York', '2025-06-06T19:59:00Z', 2, []],
    ['Friday 23:59 in New York, inclusive to the minute', '2025-06-07T03:59:30Z', 2, [['block', 'no Friday deploys']]],
    ['Saturday 00:00 in New York', '2025-06-07T04:00:00Z', 2, []],
    ['Friday 16:30 in New York in winter', '2025-01-10T21:30:00Z', 2, [['block', 'no Friday deploys']]],
    ['past midnight: Sunday 05:00 after a Saturday night', '2025-06-08T05:00:00Z', 0, [['block', 'weekend nights']]],
    ['past midnight: Sunday 07:00', '2025-06-08T07:00:00Z', 0, []],
    ['past midnight: Saturday 05:00 is not after a Saturday night', '2025-06-07T05:00:00Z', 0, []],
  ])('%s', (_name, now, tier, expected) => {
    expect(run(now, tier)).toEqual(expected);
  });

  it('explains the local time in the message', () => {
    const [finding] = freezeWindowsCheck.run(makeFacts({ now: '2025-06-06T20:00:00Z' }), params, {});
    expect(finding?.message).toBe('changes are frozen: no Friday deploys (now 2025-06-06 fri 16:00 America/New_York)');
    expect(finding?.reason).toBe('freeze-window');
  });

  it('rejects unknown time zones and malformed times', () => {
    expect(freezeWindowsCheck.params.safeParse({ weekly: [{ days: ['fri'], from: '16:00', to: '24:00' }] }).success).toBe(false);
    expect(freezeWindowsCheck.params.safeParse({ weekly: [{ days: ['fri'], from: '16:00', to: '23:00', timezone: 'Mars/Olympus' }] }).success).toBe(false);
    expect(freezeWindowsCheck.params.safeParse({ dates: [{ from: '2025-12-20T10:00', to: '2025-12-21' }] }).success).toBe(false);
  });
});

describe('localTime', () => {
  it('gives the wall clock of a zone', () => {
    expect(localTime(new Date('2025-03-30T01:30:00Z'), 'Europe/Paris')).toEqual({ date: '2025-03-30', weekday: 0, minutes: 3 * 60 + 30, clock: '03:30' });
  });
});
