import type { DetectedFacts, FactsCache } from '../facts/facts-cache.js';
import type { CachedFactsRow, Store } from '../store/store.js';

/**
 * The store's facts cache as the synchronous FactsCache detection uses: read once up front, written back
 * in one transaction by `flush`.
 */
export async function storeFactsCache(store: Store): Promise<FactsCache & { flush(): Promise<void> }> {
  const entries = new Map<string, DetectedFacts>();
  const fresh: CachedFactsRow[] = [];
  const key = (repo: string, commit: string): string => `${commit} ${repo}`;
  for (const row of await store.listFacts()) entries.set(key(row.repo, row.commit), row.facts);
  return {
    get: (repo, commit) => entries.get(key(repo, commit)),
    set: (repo, commit, facts) => {
      entries.set(key(repo, commit), facts);
      fresh.push({ repo, commit, facts });
    },
    flush: async () => {
      if (fresh.length > 0) await store.putFacts(fresh.splice(0));
    },
  };
}
