import { z } from 'zod';
import { defineCheck, severityParam, severitySchema, type Finding } from '../check.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const timeZone = z
  .string()
  .min(1)
  .refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Paris' })
  .default('UTC');
const clock = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24-hour)');
const bound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (2025-12-20) or a date-time with an offset (2025-12-20T18:00:00+01:00)',
});
const tiers = z.array(z.number().int().min(0).max(3)).min(1).optional();

/** A calendar freeze. A date bound is a whole day in `timezone` (both inclusive); a date-time is an instant (`to` exclusive). */
const dateWindow = z.strictObject({
  name: z.string().min(1).optional(),
  from: bound,
  to: bound,
  timezone: timeZone,
  /** Only targets of these tiers are frozen; omitted: every target. */
  tiers,
  severity: severitySchema.optional(),
});

/** A weekly freeze: `days` from `from` to `to` (inclusive to the minute) in `timezone`; `from` > `to` runs past midnight. */
const weeklyWindow = z.strictObject({
  name: z.string().min(1).optional(),
  days: z.array(z.enum(DAYS)).min(1),
  from: clock,
  to: clock,
  timezone: timeZone,
  tiers,
  severity: severitySchema.optional(),
});

const params = z.strictObject({
  /** For any window that names no severity of its own. */
  severity: severityParam('block'),
  dates: z.array(dateWindow).default([]),
  weekly: z.array(weeklyWindow).default([]),
});

export const freezeWindowsCheck = defineCheck({
  id: 'freeze-windows',
  description:
    'Change-freeze calendars: date ranges and weekly windows in a time zone, optionally per tier; ' +
    'the time is the one in the facts, never the clock.',
  params,
  evaluate(facts, options) {
    const now = new Date(facts.now);
    const tier = facts.target.tier;
    const applies = (only: number[] | undefined): boolean => !only || (tier !== undefined && only.includes(tier));
    const findings: Finding[] = [];
    for (const window of options.dates) {
      if (!applies(window.tiers) || !inDateWindow(now, window)) continue;
      const name = window.name ?? `${window.from} to ${window.to}`;
      findings.push(frozen(window.severity ?? options.severity, name, now, window.timezone));
    }
    for (const window of options.weekly) {
      if (!applies(window.tiers) || !inWeeklyWindow(now, window)) continue;
      const name = window.name ?? `${window.days.join(', ')} ${window.from}-${window.to}`;
      findings.push(frozen(window.severity ?? options.severity, name, now, window.timezone));
    }
    return findings;
  },
});

function frozen(severity: Finding['severity'], name: string, now: Date, zone: string): Finding {
  const local = localTime(now, zone);
  return {
    check: 'freeze-windows',
    severity,
    reason: 'freeze-window',
    message: `changes are frozen: ${name} (now ${local.date} ${DAYS[local.weekday] ?? ''} ${local.clock} ${zone})`,
  };
}

function inDateWindow(now: Date, window: z.output<typeof dateWindow>): boolean {
  const today = localTime(now, window.timezone).date;
  const afterStart = isDate(window.from) ? today >= window.from : now.getTime() >= Date.parse(window.from);
  const beforeEnd = isDate(window.to) ? today <= window.to : now.getTime() < Date.parse(window.to);
  return afterStart && beforeEnd;
}

function inWeeklyWindow(now: Date, window: z.output<typeof weeklyWindow>): boolean {
  const local = localTime(now, window.timezone);
  const minute = local.minutes;
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const today = DAYS[local.weekday] ?? 'sun';
  const yesterday = DAYS[(local.weekday + 6) % 7] ?? 'sat';
  if (from <= to) return window.days.includes(today) && minute >= from && minute <= to;
  // Past midnight: the evening of a listed day, or the early hours after it.
  return (window.days.includes(today) && minute >= from) || (window.days.includes(yesterday) && minute <= to);
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function minutesOf(clockText: string): number {
  const [hours, minutes] = clockText.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date (YYYY-MM-DD), weekday (0 = Sunday), minutes after midnight and HH:MM in a zone. */
export function localTime(
  instant: Date,
  zone: string,
): { date: string; weekday: number; minutes: number; clock: string } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  const hour = Number(parts.hour ?? 0) % 24;
  const minute = Number(parts.minute ?? 0);
  const weekday = DAYS.indexOf((parts.weekday ?? 'Sun').toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  return {
    date: `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`,
    weekday,
    minutes: hour * 60 + minute,
    clock: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
