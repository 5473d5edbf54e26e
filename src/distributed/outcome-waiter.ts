import pg from 'pg';
import type { StepOutcome } from '../engine/execute-step.js';
import { quoteIdentifier } from '../store/postgres/migrate.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import { jobKeyOf, outcomeChannelOf, parseOutcome } from './step-job.js';
import { readOutcomes, type AttemptRef } from './step-outcomes.js';

interface Waiting {
  attempt: AttemptRef;
  since: number;
  resolve: (outcome: StepOutcome) => void;
}

export interface OutcomeWaiterOptions {
  /** How often every waiting attempt is checked without a notification (a lost NOTIFY, a reconnect). */
  sweepMs?: number;
  /** Called on each sweep with the attempts still waiting after it, to look after their jobs. */
  onSweep?: (waiting: AttemptRef[]) => Promise<void>;
}

/**
 * Waits for the outcomes workers record. One LISTEN connection per process, however many steps wait:
 * a notification names the attempt, and the outcomes notified within a tick are read with one query.
 * Notifications are an optimisation, not the source of truth: a periodic sweep reads every waiting attempt
 * from the table, so an outcome recorded while this process was reconnecting (or before it started
 * waiting — a runner that restarts) is still found.
 */
export class OutcomeWaiter {
  private readonly waiting = new Map<string, Waiting>();
  private readonly due = new Set<string>();
  private client: pg.Client | undefined;
  private flushing = false;
  private flushAgain = false;
  private closed = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: PostgresStore,
    private readonly connectionString: string,
    private readonly options: OutcomeWaiterOptions = {},
  ) {}

  async start(): Promise<void> {
    await this.store.ready();
    await this.listen();
    const sweep = (): void => {
      this.sweepTimer = setTimeout(() => void this.sweep().catch(() => undefined).finally(() => !this.closed && sweep()), this.options.sweepMs ?? 3000);
      this.sweepTimer.unref();
    };
    sweep();
  }

  /**
   * Resolves with the attempt's outcome when it is recorded from now on (a notification), or found by a
   * sweep; an outcome recorded before is the caller's to look up (the dispatcher's add statement does).
   */
  wait(attempt: AttemptRef): Promise<StepOutcome> {
    const key = jobKeyOf(attempt);
    return new Promise<StepOutcome>((resolve) => {
      const previous = this.waiting.get(key);
      this.waiting.set(key, {
        attempt,
        since: Date.now(),
        resolve: (outcome) => {
          previous?.resolve(outcome);
          resolve(outcome);
        },
      });
    });
  }

  /** Stops waiting for an attempt (its step was cancelled): nothing resolves it. */
  forget(attempt: AttemptRef): void {
    this.waiting.delete(jobKeyOf(attempt));
  }

  /** Settles a waiting attempt with an outcome decided here (its job failed for good). */
  settle(attempt: AttemptRef, outcome: StepOutcome): void {
    const key = jobKeyOf(attempt);
    const entry = this.waiting.get(key);
    if (!entry) return;
    this.waiting.delete(key);
    entry.resolve(outcome);
  }

  get size(): number {
    return this.waiting.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      if (message.payload) this.notified(message.payload);
    });
    const lost = (): void => {
      if (this.closed || this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => void this.reconnect(), 1000);
      this.reconnectTimer.unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    await client.query(`LISTEN ${quoteIdentifier(outcomeChannelOf(this.store.schema))}`);
    this.client = client;
  }

  private async reconnect(): Promise<void> {
    try {
      await this.listen();
      for (const key of this.waiting.keys()) this.due.add(key);
      this.flush();
    } catch {
      if (this.closed) return;
      this.reconnectTimer = setTimeout(() => void this.reconnect(), 1000);
      this.reconnectTimer.unref();
    }
  }

  /** `key` alone, or `key\noutcome` when the outcome fitted in the notification. */
  private notified(payload: string): void {
    const newline = payload.indexOf('\n');
    if (newline === -1) return this.check(payload);
    const key = payload.slice(0, newline);
    const entry = this.waiting.get(key);
    if (!entry) return;
    let outcome: StepOutcome;
    try {
      outcome = parseOutcome(payload.slice(newline + 1));
    } catch {
      return this.check(key);
    }
    this.waiting.delete(key);
    entry.resolve(outcome);
  }

  private check(key: string): void {
    if (!this.waiting.has(key)) return;
    this.due.add(key);
    this.flush();
  }

  /** Reads the due outcomes, one query per batch; batches form while a read is in flight. */
  private flush(): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      do {
        this.flushAgain = false;
        const keys = [...this.due].slice(0, 5000);
        for (const key of keys) this.due.delete(key);
        const attempts = keys.flatMap((key) => {
          const entry = this.waiting.get(key);
          return entry ? [entry.attempt] : [];
        });
        const found = await readOutcomes(this.store, attempts).catch(() => new Map<string, StepOutcome>());
        for (const [key, outcome] of found) {
          const entry = this.waiting.get(key);
          if (!entry) continue;
          this.waiting.delete(key);
          entry.resolve(outcome);
        }
      } while (this.due.size > 0 || this.flushAgain);
    } finally {
      this.flushing = false;
    }
  }

  private async sweep(): Promise<void> {
    const cutoff = Date.now() - (this.options.sweepMs ?? 3000);
    const stale = [...this.waiting.entries()].filter(([, entry]) => entry.since <= cutoff);
    if (stale.length === 0) return;
    const found = await readOutcomes(this.store, stale.map(([, entry]) => entry.attempt));
    for (const [key, outcome] of found) {
      const entry = this.waiting.get(key);
      if (!entry) continue;
      this.waiting.delete(key);
      entry.resolve(outcome);
    }
    const still = stale.filter(([key]) => this.waiting.has(key)).map(([, entry]) => entry.attempt);
    if (still.length > 0) await this.options.onSweep?.(still);
  }
}
