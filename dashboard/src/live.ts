import { useEffect, useRef, useState } from 'react';
import type { EventView } from './api-client.js';
import { openSse } from './sse-client.js';

/**
 * Live run events of one campaign (or all): calls `onEvent` for each run event and `onReset` when the
 * campaign itself changed (or the stream lost its place), and returns whether the stream is connected
 * (shown on the page, so a person knows the numbers are live).
 */
export function useRunEvents(campaign: string | undefined, onEvent: (event: EventView) => void, onReset?: () => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  const reset = useRef(onReset);
  handler.current = onEvent;
  reset.current = onReset;
  useEffect(() => {
    const url = `/api/events/stream${campaign ? `?campaign=${encodeURIComponent(campaign)}` : ''}`;
    return openSse(
      url,
      (message) => {
        if (message.event === 'run-event') handler.current(JSON.parse(message.data) as EventView);
        // Campaign events (a wave started, a halt, a pause) and a reset: everything may have changed.
        else if (message.event === 'campaign-event' || message.event === 'reset') reset.current?.();
      },
      setConnected,
    );
  }, [campaign]);
  return connected;
}

/**
 * A number that goes up shortly after live events arrive (at most once per `delayMs`): pages refetch
 * when it changes, so a burst of 1,000 events costs one refetch, not 1,000.
 */
export function useLiveVersion(campaign: string | undefined, accept: (event: EventView) => boolean = () => true, delayMs = 400): { version: number; connected: boolean } {
  const [version, setVersion] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  const bump = (): void => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      setVersion((value) => value + 1);
    }, delayMs);
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const connected = useRunEvents(
    campaign,
    (event) => {
      if (accept(event)) bump();
    },
    bump,
  );
  return { version, connected };
}
