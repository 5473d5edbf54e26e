import { useCallback, useEffect, useRef, useState } from 'react';
import { api, getJson, type RunPage, type RunRow } from './api-client.js';

export const PAGE_SIZE = 100;

export interface RunFilters {
  outcome?: string;
  owner?: string;
  tier?: string;
  step?: string;
  q?: string;
}

interface Pages {
  key: string;
  total: number | undefined;
  rows: Map<number, RunRow[]>;
}

/**
 * The targets list's data, a page of 100 rows at a time, fetched as the virtual list scrolls to it. The
 * server filters and counts, so 10,000 runs never reach the browser at once. A filter change starts
 * over; a live update refetches the pages in view and keeps the rest until they are scrolled to again.
 */
export function useRunPages(campaign: string, filters: RunFilters, version: number) {
  const key = JSON.stringify([campaign, filters]);
  const [pages, setPages] = useState<Pages>({ key, total: undefined, rows: new Map() });
  const [error, setError] = useState<Error | undefined>(undefined);
  const loading = useRef(new Set<string>());
  const visible = useRef<number[]>([0]);
  const current = pages.key === key ? pages : { key, total: undefined, rows: new Map<number, RunRow[]>() };

  const fetchPage = useCallback(
    (page: number, stale = false): void => {
      const id = `${key}#${page}`;
      if (loading.current.has(id)) return;
      loading.current.add(id);
      const query = new URLSearchParams({ offset: String(page * PAGE_SIZE), limit: String(PAGE_SIZE) });
      for (const name of ['outcome', 'owner', 'tier', 'step', 'q'] as const) {
        const value = filters[name];
        if (value) query.set(name, value);
      }
      getJson<RunPage>(api.runs(campaign, query))
        .then((answer) => {
          setError(undefined);
          setPages((previous) => {
            const base = previous.key === key ? previous : { key, total: undefined, rows: new Map<number, RunRow[]>() };
            // A live refresh that changed the total invalidates pages out of view (their offsets moved).
            const rows = stale && base.total !== answer.total ? new Map<number, RunRow[]>() : new Map(base.rows);
            rows.set(page, answer.runs);
            return { key, total: answer.total, rows };
          });
        })
        .catch((reason: unknown) => setError(reason instanceof Error ? reason : new Error(String(reason))))
        .finally(() => loading.current.delete(id));
    },
    // `filters` is part of `key`, so `key` alone says when this changes.
    [key],
  );

  useEffect(() => {
    fetchPage(0);
  }, [fetchPage]);

  useEffect(() => {
    if (version === 0) return;
    for (const page of visible.current) fetchPage(page, true);
    // Only live updates (a new `version`) refetch; a new filter starts over in the effect above.
  }, [version]);

  /** Called with the rows in view: fetches the pages they are on that are not loaded yet. */
  const show = useCallback(
    (first: number, last: number): void => {
      const needed: number[] = [];
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) needed.push(page);
      visible.current = needed;
      for (const page of needed) if (!current.rows.has(page)) fetchPage(page);
    },
    [current.rows, fetchPage],
  );

  const rowAt = (index: number): RunRow | undefined => current.rows.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  return { total: current.total, rowAt, show, error };
}
