import type { ServerResponse } from 'node:http';

/** Starts a server-sent events response; `retry` tells the browser how soon to reconnect. */
export function startSse(res: ServerResponse, retryMs = 2000): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Proxies (nginx) must pass each message on at once instead of buffering the stream.
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${retryMs}\n\n`);
}

/**
 * One message: `id` (the event's sequence number, sent back as `Last-Event-ID` on reconnect), `event`
 * (its kind) and the JSON data on one `data:` line — JSON.stringify escapes newlines, so a log line or
 * a target name can never end the message early or forge another one.
 */
export function writeSse(res: ServerResponse, event: string, data: unknown, id?: number): boolean {
  return res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** A comment line that keeps idle connections (and the proxies between) open. */
export function writeSseComment(res: ServerResponse, text: string): void {
  res.write(`: ${text}\n\n`);
}

/** Clients that stop reading are dropped rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
