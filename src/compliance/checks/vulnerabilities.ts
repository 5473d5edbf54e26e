import { z } from 'zod';
import { lowestVersion } from '../diff-dependencies.js';
import { defineCheck, severityParam, type Finding } from '../check.js';
import type { SeverityRating } from '../cvss.js';
import { matchAdvisories, type AdvisoryMatch, type OsvAdvisory } from '../osv.js';

const RATINGS: readonly SeverityRating[] = ['low', 'moderate', 'high', 'critical'];

const params = z.strictObject({
  /**
   * The advisory database: a folder of OSV JSON files, or one JSON file (an advisory or an array),
   * relative to the policy file. Read by `loadAdvisories` at the edge; the check only sees `env.advisories`.
   */
  database: z.string().min(1).optional(),
  /** Advisories rated at least this (or not rated at all) get `severity`; the others get `below`. */
  minimum: z.enum(['low', 'moderate', 'high', 'critical']).default('low'),
  severity: severityParam('block'),
  below: severityParam('warn'),
  /** Accepted risks: a matching advisory becomes an `info` finding that repeats the reason. */
  ignore: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().min(1) })).default([]),
  /** When the check is enabled but no advisory database was loaded. */
  missingDatabase: severityParam('block'),
});

export const vulnerabilitiesCheck = defineCheck({
  id: 'vulnerabilities',
  description:
    'Dependency versions after the change against an offline advisory database in OSV format ' +
    '(SEMVER/ECOSYSTEM ranges and listed versions); reports the advisory, its severity and the fixed version.',
  params,
  evaluate(facts, options, env) {
    if (!env.advisories) {
      return [
        {
          check: 'vulnerabilities',
          severity: options.missingDatabase,
          reason: 'vulnerability:no-database',
          message: 'no advisory database was loaded, so known vulnerabilities were not checked',
        },
      ];
    }
    const byName = indexByPackage(env.advisories);
    const findings: Finding[] = [];
    for (const dependency of facts.dependencies) {
      if (dependency.change === 'removed' || dependency.to === undefined) continue;
      const candidates = byName.get(`${dependency.ecosystem}\u0000${dependency.name}`);
      if (!candidates) continue;
      const version = lowestVersion(dependency.to);
      if (!version) continue;
      for (const match of matchAdvisories(candidates, dependency.ecosystem, dependency.name, version)) {
        findings.push(toFinding(`${dependency.name}@${version}`, match, options));
      }
    }
    return findings;
  },
});

function toFinding(subject: string, match: AdvisoryMatch, options: z.output<typeof params>): Finding {
  const { advisory } = match;
  const aliases = advisory.aliases?.length ? ` (${advisory.aliases.join(', ')})` : '';
  const summary = advisory.summary ?? firstLine(advisory.details) ?? 'no summary';
  const rating = match.rating
    ? `severity ${match.rating}${match.score === undefined ? '' : ` (CVSS ${match.score.toFixed(1)})`}`
    : 'severity not rated';
  const fix = match.fixed ? `fixed in ${match.fixed}` : 'no fixed version';
  const message = `${subject} is affected by ${advisory.id}${aliases}: ${summary}; ${rating}; ${fix}`;
  const reason = `vulnerability:${advisory.id}`;
  const accepted = options.ignore.find((entry) => entry.id === advisory.id || advisory.aliases?.includes(entry.id));
  if (accepted) {
    return { check: 'vulnerabilities', severity: 'info', reason, message: `${message} (accepted: ${accepted.reason})` };
  }
  const serious = !match.rating || RATINGS.indexOf(match.rating) >= RATINGS.indexOf(options.minimum);
  return { check: 'vulnerabilities', severity: serious ? options.severity : options.below, reason, message };
}

function indexByPackage(advisories: readonly OsvAdvisory[]): Map<string, OsvAdvisory[]> {
  const index = new Map<string, OsvAdvisory[]>();
  for (const advisory of advisories) {
    const keys = new Set(advisory.affected.map((item) => `${item.package?.ecosystem ?? ''}\u0000${item.package?.name ?? ''}`));
    for (const key of keys) {
      const list = index.get(key) ?? [];
      list.push(advisory);
      index.set(key, list);
    }
  }
  return index;
}

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').find((item) => item.trim() !== '');
  return line?.trim();
}
