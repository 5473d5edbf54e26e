import { hostname } from 'node:os';
import type { WorkerUtils } from 'graphile-worker';
import { quoteIdentifier } from '../store/postgres/migrate.js';
import type { PostgresStore } from '../store/postgres/postgres-store.js';
import type { JsonLogger } from '../observability/logger.js';

export interface HeartbeatOptions {
  store: PostgresStore;
  utils: WorkerUtils;
  workerSchema: string;
  /** This worker's stable name (its home flag). */
  name: string;
  /** A worker whose heartbeat is older than this is dead (default 10 s). */
  staleMs?: number;
  /** How often to beat and look for dead workers (default 2 s). */
  everyMs?: number;
  log?: JsonLogger;
}

/**
 * Leases that end when a worker dies. graphile-worker frees the jobs of a vanished worker only after four
 * hours; here every live worker beats every two seconds, and on each beat looks for workers whose beat is
 * older than ten seconds — or jobs locked by a pool that never beat at all — and calls graphile-worker's
 * `forceUnlockWorkers` for them, so the steps of a SIGKILLed worker run again elsewhere within seconds.
 *
 * The beat also keeps the list of live workers' names: a job flagged for a live worker's home is skipped
 * by the others (`forbiddenFlags`), one flagged for a dead worker's home is anyone's.
 */
export class WorkerHeartbeat {
  private poolId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private forbidden: string[] = [];
  private beating: Promise<void> = Promise.resolve();
  private readonly staleSeconds: number;

  constructor(private readonly options: HeartbeatOptions) {
    this.staleSeconds = (options.staleMs ?? 10_000) / 1000;
  }

  /** The flags this worker must not take: the homes of the other live workers. */
  readonly forbiddenFlags = (): string[] => this.forbidden;

  /** Starts beating for graphile-worker's pool (its id is what locks jobs). */
  attach(poolId: string): void {
    this.poolId = poolId;
    this.beating = this.beat();
    const every = this.options.everyMs ?? 2000;
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat());
    }, every);
    this.timer.unref();
  }

  /** Stops beating and removes this worker's row (a clean exit is not a death). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    if (this.poolId) await this.options.store.query(`DELETE FROM ${this.options.store.table('workers')} WHERE pool_id = $1`, [this.poolId]).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const { store, log } = this.options;
    const workers = store.table('workers');
    try {
      await store.query(
        `INSERT INTO ${workers} (pool_id, name, host, pid) VALUES ($1, $2, $3, $4)
         ON CONFLICT (pool_id) DO UPDATE SET heartbeat_at = now()`,
        [this.poolId, this.options.name, hostname(), process.pid],
      );
      const dead = await store.query<{ pool_id: string; name: string }>(
        `DELETE FROM ${workers} WHERE heartbeat_at < now() - make_interval(secs => $1) RETURNING pool_id, name`,
        [this.staleSeconds],
      );
      const orphaned = await store.query<{ locked_by: string }>(
        `SELECT DISTINCT locked_by FROM ${quoteIdentifier(this.options.workerSchema)}.jobs
         WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1) AND locked_by NOT IN (SELECT pool_id FROM ${workers})`,
        [this.staleSeconds],
      );
      const ids = [...new Set([...dead.rows.map((row) => row.pool_id), ...orphaned.rows.map((row) => row.locked_by)])];
      if (ids.length > 0) {
        await this.options.utils.forceUnlockWorkers(ids);
        log?.warn({ pools: ids, workers: dead.rows.map((row) => row.name) }, 'unlocked the jobs of dead workers');
      }
      const live = await store.query<{ name: string }>(`SELECT DISTINCT name FROM ${workers} WHERE heartbeat_at >= now() - make_interval(secs => $1)`, [this.staleSeconds]);
      this.forbidden = live.rows.filter((row) => row.name !== this.options.name).map((row) => `home:${row.name}`);
    } catch (error) {
      log?.warn({ error: error instanceof Error ? error.message : String(error) }, 'heartbeat failed');
    }
  }
}
