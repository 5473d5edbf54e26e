import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FlotillaError, badInput } from '../model/errors.js';
import { changeFactsSchema } from './change-facts.js';
import { loadAdvisories } from './load-advisories.js';
import type { OsvAdvisory } from './osv.js';
import { loadPolicy, mergePolicies, type Policy } from './policy.js';

/**
 * The file edge of the compliance capability, shared by the `compliance/check` step, `flotilla check`
 * and campaign loading: reading policy files, the advisory database they name, and the injected time.
 * The policy logic itself stays pure in `policy.ts` and `evaluate-policy.ts`.
 */

/** Reads and loads one policy.yaml; a missing file is `not-found` (exit 2), any mistake is located. */
export async function readPolicyFile(file: string, display: string = file): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(error, display);
  }
  return loadPolicy(text, display);
}

/**
 * {@link readPolicyFile}, synchronously: for campaign loading, which checks a campaign in one pass so
 * that every mistake is reported together; a policy file is small and read once per load.
 */
export function readPolicyFileSync(file: string, display: string = file): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(error, display);
  }
  return loadPolicy(text, display);
}

/** Reads several policy files and layers them in order: each later one overrides the earlier ones. */
export async function readPolicyLayers(files: readonly string[]): Promise<Policy> {
  const [first, ...rest] = files;
  if (first === undefined) throw badInput('no policy file was given');
  let policy = await readPolicyFile(first);
  for (const file of rest) policy = mergePolicies(policy, await readPolicyFile(file));
  return policy;
}

/**
 * Where the advisory database for this policy is: `override` (already resolved by the caller) when
 * given, else the `vulnerabilities.database` the policy names. `undefined` when the vulnerabilities check
 * is off, or on without a database (it then reports the missing database itself).
 */
export function advisoryLocation(policy: Policy, override?: string): string | undefined {
  const setting = policy.checks.vulnerabilities;
  if (setting === undefined || setting === false) return undefined;
  if (override !== undefined) return override;
  return typeof setting.database === 'string' ? setting.database : undefined;
}

/** Loads the advisory database {@link advisoryLocation} finds, or `undefined` when there is none to load. */
export async function readAdvisoriesFor(policy: Policy, override?: string): Promise<OsvAdvisory[] | undefined> {
  const location = advisoryLocation(policy, override);
  return location === undefined ? undefined : loadAdvisories(location);
}

/** The environment variable that fixes "now" for the checks (freeze windows), for tests and dry runs. */
export const NOW_VARIABLE = 'FLOTILLA_NOW';

/**
 * The time of a check: `FLOTILLA_NOW` from the environment the caller was given (an ISO 8601 time with
 * an offset), else the clock. The checks never read the clock themselves, so a freeze window can be
 * tested, and replayed, at any instant.
 */
export function checkTime(env: Readonly<Record<string, string | undefined>>, clock: () => Date = () => new Date()): string {
  const value = env[NOW_VARIABLE];
  if (value === undefined || value === '') return clock().toISOString();
  if (!changeFactsSchema.shape.now.safeParse(value).success) {
    throw badInput(`${NOW_VARIABLE} must be an ISO 8601 time with an offset, such as 2025-12-19T18:00:00+01:00, not "${value}"`, {
      field: NOW_VARIABLE,
    });
  }
  return value;
}

function unreadable(error: unknown, display: string): FlotillaError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    // The message names the file already; a location would only repeat it in front.
    return new FlotillaError('not-found', `policy file not found: ${display}`, { details: { file: display } });
  }
  return badInput(`cannot read the policy file ${display}: ${(error as Error).message}`, { file: display });
}
