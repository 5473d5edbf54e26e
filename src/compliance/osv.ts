import semver from 'semver';
import { z } from 'zod';
import { cvss3BaseScore, ratingOfScore, type SeverityRating } from './cvss.js';

/**
 * The part of the OSV schema (ossf.github.io/osv-schema) the vulnerabilities check reads. Tolerant:
 * advisory databases are external data, so unknown fields pass and odd ones are dropped, not fatal.
 */
const osvEventSchema = z.looseObject({
  introduced: z.string().optional().catch(undefined),
  fixed: z.string().optional().catch(undefined),
  last_affected: z.string().optional().catch(undefined),
  limit: z.string().optional().catch(undefined),
});

const osvSeveritySchema = z.looseObject({ type: z.string(), score: z.string() });
const specificSchema = z.looseObject({ severity: z.string().optional().catch(undefined) }).optional().catch(undefined);

export const osvAffectedSchema = z.looseObject({
  package: z.looseObject({ ecosystem: z.string(), name: z.string() }).optional().catch(undefined),
  ranges: z
    .array(z.looseObject({ type: z.string(), events: z.array(osvEventSchema).catch([]) }))
    .optional()
    .catch(undefined),
  versions: z.array(z.string()).optional().catch(undefined),
  severity: z.array(osvSeveritySchema).optional().catch(undefined),
  ecosystem_specific: specificSchema,
  database_specific: specificSchema,
});

export const osvAdvisorySchema = z.looseObject({
  id: z.string().min(1),
  summary: z.string().optional().catch(undefined),
  details: z.string().optional().catch(undefined),
  aliases: z.array(z.string()).optional().catch(undefined),
  withdrawn: z.string().optional().catch(undefined),
  severity: z.array(osvSeveritySchema).optional().catch(undefined),
  affected: z.array(osvAffectedSchema).catch([]),
  database_specific: specificSchema,
});

export type OsvAdvisory = z.infer<typeof osvAdvisorySchema>;
type OsvAffected = z.infer<typeof osvAffectedSchema>;
type OsvEvent = z.infer<typeof osvEventSchema>;

export interface AdvisoryMatch {
  advisory: OsvAdvisory;
  /** The lowest `fixed` version above the affected one, when the advisory names one. */
  fixed?: string;
  rating?: SeverityRating;
  /** The CVSS v3 base score, when the advisory carries a v3 vector. */
  score?: number;
}

/** The advisories that affect `name@version` in `ecosystem`; withdrawn advisories never match. */
export function matchAdvisories(
  advisories: readonly OsvAdvisory[],
  ecosystem: string,
  name: string,
  version: string,
): AdvisoryMatch[] {
  const matches: AdvisoryMatch[] = [];
  for (const advisory of advisories) {
    if (advisory.withdrawn) continue;
    for (const affected of advisory.affected) {
      if (affected.package?.ecosystem !== ecosystem || affected.package.name !== name) continue;
      const hit = affects(affected, version);
      if (!hit.affected) continue;
      matches.push({ advisory, ...(hit.fixed ? { fixed: hit.fixed } : {}), ...severityOf(advisory, affected) });
      break;
    }
  }
  return matches;
}

/** Is `version` affected by one `affected[]` entry: listed in `versions`, or inside a SEMVER/ECOSYSTEM range. */
export function affects(affected: OsvAffected, version: string): { affected: boolean; fixed?: string } {
  if (affected.versions?.includes(version)) return { affected: true, ...fixedAbove(affected, version) };
  const parsed = semver.parse(version);
  if (!parsed) return { affected: false };
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    const result = inRange(parsed.version, range.events);
    if (result.affected) return result;
  }
  return { affected: false };
}

/**
 * The OSV evaluation: walk the events in version order; `introduced` at or below the version opens
 * the range, `fixed` (or `limit`) at or below it closes it, `last_affected` below it closes it.
 */
function inRange(version: string, events: readonly OsvEvent[]): { affected: boolean; fixed?: string } {
  const ordered = events
    .map((event) => ({ event, at: eventVersion(event) }))
    .filter((item): item is { event: OsvEvent; at: string } => item.at !== undefined)
    .sort((left, right) => compareEventVersions(left.at, right.at));
  let affected = false;
  for (const { event, at } of ordered) {
    if (event.introduced !== undefined) {
      if (at === '0' || semver.gte(version, at)) affected = true;
    } else if (event.fixed !== undefined || event.limit !== undefined) {
      if (at !== '0' && semver.gte(version, at)) affected = false;
    } else if (event.last_affected !== undefined) {
      if (at !== '0' && semver.gt(version, at)) affected = false;
    }
  }
  if (!affected) return { affected };
  const fixed = ordered.find(({ event, at }) => event.fixed !== undefined && at !== '0' && semver.gt(at, version));
  return fixed ? { affected, fixed: fixed.at } : { affected };
}

function eventVersion(event: OsvEvent): string | undefined {
  const raw = event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
  if (raw === undefined) return undefined;
  if (raw === '0') return raw;
  return semver.valid(raw) ?? undefined;
}

function compareEventVersions(left: string, right: string): number {
  if (left === '0' || right === '0') return left === right ? 0 : left === '0' ? -1 : 1;
  return semver.compare(left, right);
}

function fixedAbove(affected: OsvAffected, version: string): { fixed?: string } {
  if (!semver.valid(version)) return {};
  for (const range of affected.ranges ?? []) {
    for (const event of range.events) {
      const fixed = event.fixed === undefined ? undefined : semver.valid(event.fixed);
      if (fixed && semver.gt(fixed, version)) return { fixed };
    }
  }
  return {};
}

/**
 * The advisory's rating: a named severity (GitHub's `database_specific.severity`, or the ecosystem's),
 * otherwise the rating of its CVSS v3 score.
 */
function severityOf(advisory: OsvAdvisory, affected: OsvAffected): { rating?: SeverityRating; score?: number } {
  const vector = [...(affected.severity ?? []), ...(advisory.severity ?? [])].find((item) => item.type.startsWith('CVSS_V3'));
  const score = vector ? cvss3BaseScore(vector.score) : undefined;
  const named = affected.ecosystem_specific?.severity ?? affected.database_specific?.severity ?? advisory.database_specific?.severity;
  const rating = ratingOfName(named) ?? (score === undefined ? undefined : ratingOfScore(score));
  return { ...(rating ? { rating } : {}), ...(score === undefined ? {} : { score }) };
}

function ratingOfName(name: string | undefined): SeverityRating | undefined {
  switch (name?.toLowerCase()) {
    case 'low':
      return 'low';
    case 'moderate':
    case 'medium':
      return 'moderate';
    case 'high':
      return 'high';
    case 'critical':
      return 'critical';
    default:
      return undefined;
  }
}
