import type { TargetFacts } from '../model/fleet.js';

/** What is detected from a repository's content at one commit (the rest of the facts come from the fleet). */
export type DetectedFacts = Omit<TargetFacts, 'name' | 'repo' | 'owner' | 'tier' | 'tags' | 'defaultBranch' | 'commit'>;

/**
 * Detected facts by repository and commit. A commit's content never changes, so an entry never goes
 * stale; the store keeps them across runs, the memory cache serves tests and one-off commands.
 */
export interface FactsCache {
  get(repo: string, commit: string): DetectedFacts | undefined;
  set(repo: string, commit: string, facts: DetectedFacts): void;
}

/** A FactsCache in memory. */
export function createMemoryFactsCache(): FactsCache & { readonly size: number } {
  const entries = new Map<string, DetectedFacts>();
  const key = (repo: string, commit: string): string => `${commit} ${repo}`;
  return {
    get: (repo, commit) => entries.get(key(repo, commit)),
    set: (repo, commit, facts) => {
      entries.set(key(repo, commit), facts);
    },
    get size() {
      return entries.size;
    },
  };
}
