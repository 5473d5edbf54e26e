import picomatch from 'picomatch';
import { z } from 'zod';
import { defineCheck, severityParam, type Finding } from '../check.js';
import { ownersOf, parseCodeowners } from '../codeowners.js';

const params = z.strictObject({
  /** Globs (picomatch, dot files included) that automation must never change. */
  offLimits: z.array(z.string().min(1)).default([]),
  /** For a change to an off-limits path. */
  severity: severityParam('block'),
  /**
   * Consult CODEOWNERS (from the check's env, else the facts: the base's file): a changed path that
   * has owners needs them. Omitted: CODEOWNERS is not consulted.
   */
  codeowners: z
    .strictObject({
      severity: severityParam('warn'),
      /** Only paths owned by one of these (`@org/team`, `@user`, e-mail) count; omitted: any owner. */
      owners: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});

export const protectedPathsCheck = defineCheck({
  id: 'protected-paths',
  description:
    'Paths off-limits to automation (globs), and paths that need their owners per CODEOWNERS ' +
    '(the last matching pattern wins, as on GitHub).',
  params,
  evaluate(facts, options, env) {
    const findings: Finding[] = [];
    const offLimits = options.offLimits.map((glob) => ({ glob, matches: picomatch(glob, { dot: true }) }));
    const codeownersText = env.codeowners ?? facts.codeowners;
    const rules = options.codeowners && codeownersText ? parseCodeowners(codeownersText) : [];
    const wanted = options.codeowners?.owners?.map((owner) => owner.toLowerCase());
    for (const file of facts.files) {
      const paths = file.previousPath === undefined ? [file.path] : [file.previousPath, file.path];
      for (const path of paths) {
        const hit = offLimits.find((entry) => entry.matches(path));
        if (hit) {
          findings.push({
            check: 'protected-paths',
            severity: options.severity,
            reason: 'protected-path:off-limits',
            message: `${path} is off-limits to automation (${hit.glob})`,
            file: path,
          });
        }
        if (!options.codeowners || rules.length === 0) continue;
        const rule = ownersOf(rules, path);
        if (!rule || rule.owners.length === 0) continue;
        const owners = wanted ? rule.owners.filter((owner) => wanted.includes(owner.toLowerCase())) : rule.owners;
        if (owners.length === 0) continue;
        findings.push({
          check: 'protected-paths',
          severity: options.codeowners.severity,
          reason: 'protected-path:needs-owner',
          message: `${path} needs its owners ${owners.join(', ')} (CODEOWNERS line ${rule.line}: ${rule.pattern})`,
          file: path,
        });
      }
    }
    return findings;
  },
});
