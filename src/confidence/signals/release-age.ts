import type { ReleaseEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { clamp, round, unavailable, type Signal } from '../signal.js';

const DAY_MS = 86_400_000;
/** A week-old release is neutral: most broken releases are yanked or patched within days. */
export const NEUTRAL_AGE_DAYS = 7;

/**
 * How long the new version has been out: value log2(age / 7 days) / 2, so a day-old release counts fully
 * against, a week is neutral and four weeks count fully for. `now` is the decision's time, injected.
 */
export function releaseAgeSignal(release: ReleaseEvidence | undefined, now: string, weight = DEFAULT_WEIGHTS.signals['release-age']): Signal {
  if (release === undefined) return unavailable('release-age', weight, 'the release time of the new version is not known');
  const released = Date.parse(release.releasedAt);
  const at = Date.parse(now);
  if (Number.isNaN(released) || Number.isNaN(at)) return unavailable('release-age', weight, `the release time "${release.releasedAt}" is not a time`);
  const days = Math.max(0, (at - released) / DAY_MS);
  const value = days <= 0 ? -1 : clamp(Math.log2(days / NEUTRAL_AGE_DAYS) / 2);
  const age = days < 1 ? `${Math.round(days * 24)} hours` : `${Math.round(days)} days`;
  const judgement = value < 0 ? 'young: fresh releases are the ones still being fixed' : value > 0 ? 'old enough to have been tried' : 'neither fresh nor proven';
  return {
    id: 'release-age',
    available: true,
    value: round(value),
    weight,
    explanation: `${release.package}@${release.version} was released ${age} ago, ${judgement}`,
    details: { releasedAt: release.releasedAt, ageDays: round(days, 2) },
  };
}
