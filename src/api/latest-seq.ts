import type { Store } from '../store/store.js';

/**
 * The sequence number of the newest event, found with a handful of "first event after N" queries (each
 * one index seek) instead of reading the log: gallop up until nothing is after the probe, then bisect.
 * The store's interface has no "max seq" query, and this keeps it that way.
 */
export async function latestSeq(store: Store): Promise<number> {
  const after = async (seq: number): Promise<number | undefined> => (await store.listEvents({ afterSeq: seq, limit: 1 }))[0]?.seq;
  let low = await after(0);
  if (low === undefined) return 0;
  let high: number | undefined;
  for (let step = 1024; high === undefined; step *= 2) {
    const found = await after(low + step);
    if (found === undefined) high = low + step;
    else low = found;
  }
  // An event exists at `low` and none after `high`.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const found = await after(middle);
    if (found === undefined) high = middle;
    else low = found;
  }
  return (await after(low)) ?? low;
}
