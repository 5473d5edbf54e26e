import picomatch from 'picomatch';
import { z } from 'zod';
import { changeTotals } from '../change-facts.js';
import { defineCheck, type Finding } from '../check.js';

const limits = z.strictObject({
  /** Files changed (added, modified, deleted or renamed). */
  files: z.number().int().min(0).optional(),
  /** Lines changed: added plus removed. */
  lines: z.number().int().min(0).optional(),
});

const params = z.strictObject({
  /** Above these, a warning. */
  warn: limits.default({ files: 100, lines: 2000 }),
  /** Above these, the change is blocked. */
  block: limits.default({}),
  /** Globs left out of the counts: generated files a dependency bump rewrites wholesale. */
  exclude: z
    .array(z.string().min(1))
    .default(['**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml']),
});

export const diffSizeCheck = defineCheck({
  id: 'diff-size',
  description: 'Limits on the number of files and lines a change touches (warn and block thresholds); lockfiles are left out by default.',
  params,
  evaluate(facts, options) {
    const excluded = options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : () => false;
    const totals = changeTotals(facts.files, (path) => !excluded(path));
    const lines = totals.added + totals.removed;
    const findings: Finding[] = [];
    const measures = [
      { key: 'files', value: totals.files, unit: 'files' },
      { key: 'lines', value: lines, unit: 'lines' },
    ] as const;
    // Per measure, the block limit is checked first; a change over it is not also warned about.
    for (const { key, value, unit } of measures) {
      for (const severity of ['block', 'warn'] as const) {
        const limit = options[severity][key];
        if (limit === undefined || value <= limit) continue;
        findings.push({
          check: 'diff-size',
          severity,
          reason: `diff-size:${key}`,
          message: `${value} ${unit} changed, above the ${severity} limit of ${limit}`,
        });
        break;
      }
    }
    return findings;
  },
});
