import parseSpdx from 'spdx-expression-parse';
import spdxSatisfies from 'spdx-satisfies';
import { z } from 'zod';
import type { DependencyChange } from '../change-facts.js';
import { defineCheck, severityParam, type Finding } from '../check.js';

/** One licence as the lists take it: an SPDX id, a `+` range or an id WITH an exception; no AND/OR. */
const licenceId = z.string().refine(
  (value) => {
    try {
      return 'license' in parseSpdx(value);
    } catch {
      return false;
    }
  },
  { message: 'must be one SPDX licence id (such as MIT, Apache-2.0, GPL-2.0+), not an expression with AND/OR' },
);

const params = z.strictObject({
  /** When given, every licence a dependency is used under must satisfy one of these. */
  allow: z.array(licenceId).optional(),
  /** Licences a dependency must not be used under. */
  deny: z.array(licenceId).default([]),
  /** For a denied or not-allowed licence. */
  severity: severityParam('block'),
  /** For a dependency that declares no licence, or one that is not an SPDX expression. */
  unknown: severityParam('warn'),
  /** Check every added or changed dependency, or only direct ones. */
  include: z.enum(['all', 'direct']).default('all'),
  /** Package names whose licence someone has reviewed. */
  ignore: z.array(z.string().min(1)).default([]),
});

type LicensesParams = z.output<typeof params>;

/** At most this many ways to satisfy one expression are weighed; beyond it the licence is "unknown". */
const MAX_CHOICES = 256;

export const licensesCheck = defineCheck({
  id: 'licenses',
  description:
    'Licences of added or changed dependencies against allow and deny lists (SPDX expressions: ' +
    '"MIT OR GPL-3.0-only" passes when one allowed choice exists); an unknown licence gets its own severity.',
  params,
  evaluate(facts, options) {
    const findings: Finding[] = [];
    for (const dependency of facts.dependencies) {
      if (dependency.change === 'removed' || dependency.to === undefined) continue;
      if (options.include === 'direct' && !dependency.direct) continue;
      if (options.ignore.includes(dependency.name)) continue;
      const finding = judgeLicence(dependency, options);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function judgeLicence(dependency: DependencyChange, options: LicensesParams): Finding | undefined {
  const subject = `${dependency.name}@${dependency.to ?? ''}`;
  const licence = dependency.licence;
  const choices = licence === undefined ? undefined : licenceChoices(licence);
  if (!choices) {
    const why = licence === undefined ? 'declares no licence' : `declares "${licence}", which is not an SPDX expression`;
    return { check: 'licenses', severity: options.unknown, reason: 'license:unknown', message: `${subject} ${why}` };
  }
  let allDenied = true;
  for (const terms of choices) {
    const denied = terms.filter((term) => satisfies(term, options.deny));
    const notAllowed = options.allow ? terms.filter((term) => !satisfies(term, options.allow ?? [])) : [];
    if (denied.length === 0 && notAllowed.length === 0) return undefined;
    if (denied.length === 0) allDenied = false;
  }
  if (allDenied) {
    return {
      check: 'licenses',
      severity: options.severity,
      reason: 'license:denied',
      message: `${subject} is licensed ${licence ?? ''}, which the policy denies`,
    };
  }
  return {
    check: 'licenses',
    severity: options.severity,
    reason: 'license:not-allowed',
    message: `${subject} is licensed ${licence ?? ''}, which is not among the allowed licences`,
  };
}

/**
 * The ways to comply with an expression, each a list of licences that must all be honoured
 * (`(A OR B) AND C` → `[[A, C], [B, C]]`); `undefined` when it is not a valid SPDX expression.
 */
export function licenceChoices(expression: string): string[][] | undefined {
  let parsed: parseSpdx.Info;
  try {
    parsed = parseSpdx(expression);
  } catch {
    return undefined;
  }
  return expand(parsed);
}

function expand(node: parseSpdx.Info): string[][] | undefined {
  if ('license' in node) {
    return [[`${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`]];
  }
  const left = expand(node.left);
  const right = expand(node.right);
  if (!left || !right) return undefined;
  if (node.conjunction === 'or') return left.length + right.length > MAX_CHOICES ? undefined : [...left, ...right];
  if (left.length * right.length > MAX_CHOICES) return undefined;
  const product: string[][] = [];
  for (const a of left) for (const b of right) product.push([...a, ...b]);
  return product;
}

function satisfies(term: string, list: readonly string[]): boolean {
  if (list.length === 0) return false;
  try {
    return spdxSatisfies(term, list);
  } catch {
    return false;
  }
}
