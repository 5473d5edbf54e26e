import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson } from './api-client.js';

interface Shown<T> {
  url: string | undefined;
  data?: T;
  error?: Error;
  loading: boolean;
}

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs `url` again whenever it or `version` (bumped by live events) changes. The last answer stays on
 * screen while the next loads, so live updates never blank the page. Requests for the same URL are not
 * cancelled by newer ones (under a steady stream of events that would starve the page); an answer is
 * shown unless a later-started one is already shown.
 */
export function useResource<T>(url: string | undefined, version = 0): Resource<T> {
  const [state, setState] = useState<Shown<T>>({ url, loading: false });
  const [manual, setManual] = useState(0);
  const started = useRef(0);
  const shown = useRef(0);
  const urlRef = useRef(url);
  urlRef.current = url;
  useEffect(() => {
    if (!url) return;
    const controller = new AbortController();
    const number = ++started.current;
    setState((previous) => (previous.url === url ? { ...previous, loading: true } : { url, loading: true }));
    getJson<T>(url, controller.signal)
      .then((data) => {
        if (number < shown.current) return;
        shown.current = number;
        setState({ url, data, loading: number !== started.current });
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted || number < shown.current) return;
        const error = reason instanceof Error ? reason : new Error(String(reason));
        setState((previous) => ({ ...previous, error, loading: false }));
      });
    return () => {
      // Only a new URL (or leaving the page) cancels; see above.
      if (url !== urlRef.current) controller.abort();
    };
  }, [url, version, manual]);
  const reload = useCallback(() => setManual((value) => value + 1), []);
  const current: Shown<T> = state.url === url ? state : { url, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload };
}
