import { authHeaders } from './api-client.js';
import { askForToken, saveToken } from './token-store.js';

export interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Reads a server-sent event stream with fetch rather than EventSource, because EventSource cannot send an
 * `Authorization` header and the token must not go into a URL (URLs end up in logs). Reconnects after the
 * server's `retry` delay and sends `Last-Event-ID`, so nothing is missed across a reconnect.
 * Returns a function that closes the stream.
 */
export function openSse(url: string, onMessage: (message: SseMessage) => void, onConnected?: (connected: boolean) => void): () => void {
  const controller = new AbortController();
  let lastId: string | undefined;
  let retryMs = 2000;

  const dispatch = (block: string): void => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== undefined) lastId = id;
    if (data.length > 0) onMessage({ event, data: data.join('\n'), id });
  };

  /** Reads the stream until it ends; true when it should be opened again at once (a token was just given). */
  const connect = async (): Promise<boolean> => {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders(), ...(lastId ? { 'last-event-id': lastId } : {}) };
    const response = await fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 401) {
      const token = await askForToken('Live updates need the API token.');
      if (!token) {
        controller.abort();
        return false;
      }
      saveToken(token);
      return true;
    }
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    onConnected?.(true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += value.replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  };

  const loop = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        if (await connect()) continue;
      } catch {
        // Network errors and a server restart end up here; the loop reconnects.
      }
      onConnected?.(false);
      if (controller.signal.aborted) return;
      await new Promise((resolve) => window.setTimeout(resolve, retryMs));
    }
  };
  void loop();
  return () => controller.abort();
}
