import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/store.js';
import { MAX_BUFFERED_BYTES, startSse, writeSse } from './sse.js';

interface LogClient {
  res: ServerResponse;
  runId: string;
  step: string;
  /** Lines of this step's log already sent. */
  sent: number;
}

/**
 * `GET /api/runs/:campaign/:target/logs/stream?step=`: a step's log as it is written (the engine flushes
 * step logs to the store about once a second). One loop serves every open log stream, and streams of
 * the same step share one read per tick. When the run has ended the rest is sent, then `end`.
 *
 * Messages: `log` ({lines: [{step, attempt, at, text}]}) and `end` ({}).
 */
export class LogStreamHub {
  private readonly clients = new Set<LogClient>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly store: Store,
    private readonly intervalMs = 500,
    private readonly log: (message: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {}

  open(req: IncomingMessage, res: ServerResponse, runId: string, step: string): void {
    startSse(res);
    const client: LogClient = { res, runId, step, sent: 0 };
    this.clients.add(client);
    req.once('close', () => this.remove(client));
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    // The lines written so far go out at once, not on the next tick.
    void this.poll();
  }

  close(): void {
    for (const client of [...this.clients]) {
      client.res.end();
      this.remove(client);
    }
  }

  private remove(client: LogClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const groups = new Map<string, LogClient[]>();
      for (const client of this.clients) {
        const key = JSON.stringify([client.runId, client.step]);
        groups.set(key, [...(groups.get(key) ?? []), client]);
      }
      for (const group of groups.values()) {
        const first = group[0];
        if (!first) continue;
        // The run's state first: if it has ended, every line was flushed before it did.
        const ended = (await this.store.getRun(first.runId))?.status === 'done';
        const lines = await this.store.readLogs(first.runId, first.step);
        for (const client of group) {
          if (lines.length > client.sent) {
            writeSse(client.res, 'log', { lines: lines.slice(client.sent).map((line) => ({ step: line.step, attempt: line.attempt, at: line.at, text: line.text })) });
            client.sent = lines.length;
          }
          if (ended || client.res.writableLength > MAX_BUFFERED_BYTES) {
            if (ended) writeSse(client.res, 'end', {});
            client.res.end();
            this.remove(client);
          }
        }
      }
    } catch (error) {
      this.log('log stream poll failed', { error: (error as Error).message });
    } finally {
      this.polling = false;
    }
  }
}
