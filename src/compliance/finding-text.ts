import type { Finding } from './check.js';

/** Who reported a finding: the check's id, or `rule <id>` for a policy's custom rule. */
export function findingSource(finding: Finding): string {
  return finding.rule === undefined ? finding.check : `rule ${finding.rule}`;
}

/** `file:line` of a finding, or '' when it is about the change as a whole. */
export function findingPlace(finding: Finding): string {
  if (finding.file === undefined) return '';
  return finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
}

/**
 * One finding as a run's reason, naming what blocked it so a person sees why without opening the log:
 * `compliance: licenses: gpl-lib@1.0.0 is licensed GPL-3.0-only, which the policy denies`,
 * `compliance: secrets: src/settings.js:3: AWS access key in an added line: AKIA…`.
 */
export function findingReason(finding: Finding): string {
  const place = findingPlace(finding);
  return `compliance: ${findingSource(finding)}: ${place ? `${place}: ` : ''}${finding.message}`;
}
