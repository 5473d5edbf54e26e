import { errorMessage } from '../model/errors.js';
import { celContext, renderTemplate } from './cel-rules.js';
import type { ChangeFacts } from './change-facts.js';
import type { CheckEnv, Finding, Severity } from './check.js';
import { CHECKS } from './checks.js';
import type { OnBlock, Policy } from './policy.js';

export interface PolicyVerdict {
  /** `block` when any finding blocks; otherwise `pass` (warnings and notes included). */
  verdict: 'block' | 'pass';
  /** What a blocked run becomes, as the policy says (default `needs-human`). */
  onBlock: OnBlock;
  /** The enabled checks' findings (checks in alphabetical order), then the rules' (in policy order). */
  findings: Finding[];
  counts: Record<Severity, number>;
}

/**
 * Runs the enabled checks and the custom rules over one change. Pure: the facts and the env carry
 * everything (the advisories, CODEOWNERS); no clock, no I/O. Fail safe: a check that throws or a rule
 * that cannot be evaluated is a blocking `error` finding, never an exception.
 */
export function evaluatePolicy(policy: Policy, facts: ChangeFacts, env: CheckEnv = {}): PolicyVerdict {
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const setting = policy.checks[check.id];
    if (setting === undefined || setting === false) continue;
    try {
      findings.push(...check.run(facts, setting, env));
    } catch (error) {
      findings.push({
        check: check.id,
        severity: 'block',
        reason: 'error',
        message: `the ${check.id} check failed: ${errorMessage(error)}`,
      });
    }
  }
  if (policy.rules.length > 0) {
    const context = celContext(facts);
    for (const rule of policy.rules) {
      let result: unknown;
      try {
        result = rule.condition(context);
      } catch (error) {
        findings.push(ruleError(rule.id, errorMessage(error).split('\n')[0] ?? ''));
        continue;
      }
      if (typeof result !== 'boolean') {
        findings.push(ruleError(rule.id, `the condition gave ${typeof result}, not true or false`));
        continue;
      }
      if (!result) continue;
      findings.push({
        check: 'rules',
        rule: rule.id,
        severity: rule.severity,
        reason: `rule:${rule.id}`,
        message: renderTemplate(rule.template, context),
      });
    }
  }
  const counts: Record<Severity, number> = { block: 0, warn: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return { verdict: counts.block > 0 ? 'block' : 'pass', onBlock: policy.onBlock ?? 'needs-human', findings, counts };
}

function ruleError(id: string, why: string): Finding {
  return { check: 'rules', rule: id, severity: 'block', reason: 'error', message: `rule "${id}" could not be evaluated: ${why}` };
}
