import type { Check, CheckId } from './check.js';
import { deniedVersionsCheck } from './checks/denied-versions.js';
import { diffSizeCheck } from './checks/diff-size.js';
import { freezeWindowsCheck } from './checks/freeze-windows.js';
import { licensesCheck } from './checks/licenses.js';
import { protectedPathsCheck } from './checks/protected-paths.js';
import { secretsCheck } from './checks/secrets.js';
import { vulnerabilitiesCheck } from './checks/vulnerabilities.js';

/** The built-in compliance checks, alphabetically. Adding one: a module in checks/ and a line here. */
export const CHECKS: readonly Check[] = [
  deniedVersionsCheck,
  diffSizeCheck,
  freezeWindowsCheck,
  licensesCheck,
  protectedPathsCheck,
  secretsCheck,
  vulnerabilitiesCheck,
];

export function findCheck(id: string): Check | undefined {
  return CHECKS.find((check) => check.id === id);
}

export function isCheckId(id: string): id is CheckId {
  return findCheck(id) !== undefined;
}
