import picomatch from 'picomatch';
import semver from 'semver';
import { z } from 'zod';
import { lowestVersion } from '../diff-dependencies.js';
import { defineCheck, severityParam, type Finding } from '../check.js';

const rule = z.strictObject({
  /** The package name, or a glob over names (`@acme/*`). */
  dependency: z.string().min(1),
  /** A semver range (`>=2.0.0 <2.3.1`, `1.x || 3.0.0`). Prereleases inside it count. */
  versions: z.string().refine((value) => semver.validRange(value) !== null, { message: 'must be a semver range' }),
  /** Why these versions are denied: shown to whoever has to look. */
  reason: z.string().min(1),
  severity: severityParam('block'),
});

const params = z.strictObject({
  rules: z.array(rule).default([]),
});

export const deniedVersionsCheck = defineCheck({
  id: 'denied-versions',
  description:
    'Nebula-style deny rules: an added or changed dependency whose new version falls in a denied ' +
    'range is reported with the rule\'s reason.',
  params,
  evaluate(facts, options) {
    const rules = options.rules.map((entry) => ({ ...entry, matches: picomatch(entry.dependency) }));
    const findings: Finding[] = [];
    for (const dependency of facts.dependencies) {
      if (dependency.change === 'removed' || dependency.to === undefined) continue;
      const version = lowestVersion(dependency.to);
      if (!version) continue;
      for (const entry of rules) {
        if (entry.dependency !== dependency.name && !entry.matches(dependency.name)) continue;
        if (!semver.satisfies(version, entry.versions, { includePrerelease: true })) continue;
        findings.push({
          check: 'denied-versions',
          severity: entry.severity,
          reason: `denied-version:${dependency.name}`,
          message: `${dependency.name}@${version} is denied (${entry.versions}): ${entry.reason}`,
        });
      }
    }
    return findings;
  },
});
