import { readFile } from 'node:fs/promises';
import { loadPolicy, type Policy } from '../../compliance/policy.js';
import { advisoryLocation, readPolicyFile } from '../../compliance/policy-files.js';
import { loadAdvisories } from '../../compliance/load-advisories.js';
import type { OsvAdvisory } from '../../compliance/osv.js';

/**
 * Per-process caches for `compliance/check`: a campaign checks hundreds of targets against the same
 * policy and advisory database, and compiling the CEL rules or reading tens of thousands of OSV files
 * for each target would dominate the step.
 *
 * - A policy is keyed by its path and its text: the file is read again each time (it is small), so an
 *   edit between two runs is seen; only the compilation is saved.
 * - An advisory database is read once per process and location (databases are refreshed between
 *   campaigns, not during one).
 */

const MAX_ENTRIES = 16;
const policies = new Map<string, Policy>();
const databases = new Map<string, Promise<OsvAdvisory[]>>();

export async function cachedPolicy(file: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // Let the shared reader produce its not-found or unreadable error.
    return readPolicyFile(file);
  }
  const key = `${file}\0${text}`;
  const known = policies.get(key);
  if (known) return known;
  const policy = loadPolicy(text, file);
  remember(policies, key, policy);
  return policy;
}

/** The advisories the policy's vulnerabilities check needs, or `undefined` when it needs none. */
export async function cachedAdvisories(policy: Policy, override?: string): Promise<OsvAdvisory[] | undefined> {
  const location = advisoryLocation(policy, override);
  if (location === undefined) return undefined;
  let pending = databases.get(location);
  if (!pending) {
    pending = loadAdvisories(location);
    remember(databases, location, pending);
    // A failed read is not cached: the next target tries again (and reports the same error if it stays).
    void pending.catch(() => databases.delete(location));
  }
  return pending;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, value);
}
