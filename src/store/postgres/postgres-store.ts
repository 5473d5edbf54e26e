import pg from 'pg';
import { FlotillaError, errorMessage, isFlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import type { CachedFactsRow, CampaignEvent, CampaignRecord, CampaignStatus, EventQuery, InboxItem, LockResult, LogLine, Store } from '../store.js';
import { migrate, quoteIdentifier } from './migrate.js';
import { AppendBatcher } from './append-batcher.js';

export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db` (`DATABASE_URL` or `--database`). */
  connectionString: string;
  /** The schema Flotilla's tables live in (default `flotilla`); tests give each test its own. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Apply pending migrations on open (default true; `flotilla db status` reads without changing). */
  migrate?: boolean;
  /**
   * Appends made together share one statement and one commit (default true); false gives every append a
   * statement and a transaction of its own. Either way each append is atomic and version-checked.
   */
  groupCommit?: boolean;
}

interface CampaignRow {
  name: string;
  status: string;
  hash: string;
  spec: string;
  file: string;
  created_at: string;
  updated_at: string;
}

interface EventRow {
  seq: string;
  run_id: string;
  type: string;
  at: string;
  data: string;
}

export const DEFAULT_SCHEMA = 'flotilla';

/**
 * The distributed engine's store: the same tables and the same semantics as the SQLite store, in
 * PostgreSQL, behind a connection pool. Each write that must be atomic is one statement: an event, the
 * run's snapshot with its optimistic version check and the inbox mark are written by one statement with
 * data-modifying CTEs, and appends made together share it (group commit, see `AppendBatcher`), so a busy
 * runner pays one round trip and one disk flush for many transitions. Migrations run when the store opens;
 * every method waits for them.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly connectionString: string;
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly migrated: Promise<unknown>;
  private readonly appends: AppendBatcher;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.connectionString = options.connectionString;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.migrated = options.migrate === false ? Promise.resolve() : migrate(this.pool, this.schema);
    this.migrated.catch(() => undefined);
    this.appends = new AppendBatcher((text, values) => this.query(text, values, 'append-events'), this.schema, options.groupCommit === false ? 1 : 500);
  }

  /** Resolves once the schema is migrated; rejects with the reason it could not be. */
  async ready(): Promise<void> {
    try {
      await this.migrated;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** A table of this store, quoted and schema-qualified, for the distributed engine's own queries. */
  table(name: string): string {
    return `${quoteIdentifier(this.schema)}.${quoteIdentifier(name)}`;
  }

  /**
   * Runs one statement. `name` makes it a prepared statement (parsed and planned once per connection):
   * worth it for the statements every step runs.
   */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], name?: string): Promise<pg.QueryResult<R>> {
    await this.ready();
    try {
      return await this.pool.query<R>(name ? { name: `${this.schema}:${name}`, text, values } : { text, values });
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Runs `fn` in one transaction on one connection. */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    const client = await this.pool.connect().catch((error: unknown) => Promise.reject(toStoreError(error)));
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toStoreError(error);
    } finally {
      client.release();
    }
  }

  /** Runs `fn` when the store closes, before its pool ends (the job dispatcher riding on it). */
  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    for (const fn of this.closers.splice(0)) await fn().catch(() => undefined);
    await this.migrated.catch(() => undefined);
    await this.pool.end();
  }

  async saveCampaign(record: CampaignRecord): Promise<void> {
    await this.query(
      `INSERT INTO ${this.table('campaigns')} (name, hash, spec, file, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, spec = excluded.spec, file = excluded.file, updated_at = excluded.updated_at`,
      [record.name, record.hash, JSON.stringify(record.spec), record.file, record.createdAt, record.updatedAt],
    );
  }

  async getCampaign(name: string): Promise<CampaignRecord | undefined> {
    const { rows } = await this.query<CampaignRow>(`SELECT * FROM ${this.table('campaigns')} WHERE name = $1`, [name]);
    return rows[0] ? toCampaign(rows[0]) : undefined;
  }

  async listCampaigns(): Promise<CampaignRecord[]> {
    const { rows } = await this.query<CampaignRow>(`SELECT * FROM ${this.table('campaigns')} ORDER BY created_at, name`);
    return rows.map(toCampaign);
  }

  appendEvent(event: RunEvent, state: RunState, consumedInboxId?: number): Promise<number> {
    return this.appends.append(event, state, consumedInboxId);
  }

  async getRun(runId: string): Promise<RunState | undefined> {
    const { rows } = await this.query<{ state: string }>(`SELECT state FROM ${this.table('runs')} WHERE run_id = $1`, [runId]);
    return rows[0] ? (JSON.parse(rows[0].state) as RunState) : undefined;
  }

  async listRuns(campaign: string): Promise<RunState[]> {
    const { rows } = await this.query<{ state: string }>(`SELECT state FROM ${this.table('runs')} WHERE campaign = $1 ORDER BY target`, [campaign]);
    return rows.map((row) => JSON.parse(row.state) as RunState);
  }

  async listEvents(query: EventQuery): Promise<RunEvent[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.campaign !== undefined) where.push(`campaign = $${values.push(query.campaign)}`);
    if (query.runId !== undefined) where.push(`run_id = $${values.push(query.runId)}`);
    if (query.afterSeq !== undefined) where.push(`seq > $${values.push(query.afterSeq)}`);
    const limit = query.limit === undefined || query.limit < 0 ? 'ALL' : `$${values.push(query.limit)}`;
    const sql = `SELECT seq, run_id, type, at, data FROM ${this.table('events')} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ${limit}`;
    const { rows } = await this.query<EventRow>(sql, values);
    return rows.map((row) => ({ seq: Number(row.seq), runId: row.run_id, type: row.type, at: row.at, data: JSON.parse(row.data) as unknown }) as RunEvent);
  }

  async appendLogs(lines: readonly LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.query(
      `INSERT INTO ${this.table('step_logs')} (run_id, step, attempt, at, text)
       SELECT run_id, step, attempt, at, text FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[]) WITH ORDINALITY AS line(run_id, step, attempt, at, text, n) ORDER BY n`,
      [lines.map((line) => line.runId), lines.map((line) => line.step), lines.map((line) => line.attempt), lines.map((line) => line.at), lines.map((line) => line.text)],
    );
  }

  async readLogs(runId: string, step?: string): Promise<LogLine[]> {
    const byStep = step === undefined ? '' : 'AND step = $2';
    const { rows } = await this.query<{ run_id: string; step: string; attempt: number; at: string; text: string }>(
      `SELECT run_id, step, attempt, at, text FROM ${this.table('step_logs')} WHERE run_id = $1 ${byStep} ORDER BY id`,
      step === undefined ? [runId] : [runId, step],
    );
    return rows.map((row) => ({ runId: row.run_id, step: row.step, attempt: row.attempt, at: row.at, text: row.text }));
  }

  async setCampaignStatus(name: string, status: CampaignStatus, at: string): Promise<void> {
    await this.query(`UPDATE ${this.table('campaigns')} SET status = $1, updated_at = $2 WHERE name = $3`, [status, at, name]);
  }

  async appendCampaignEvent(event: CampaignEvent): Promise<number> {
    const { rows } = await this.query<{ seq: string }>(`INSERT INTO ${this.table('campaign_events')} (campaign, type, at, data) VALUES ($1, $2, $3, $4) RETURNING seq`, [
      event.campaign,
      event.type,
      event.at,
      JSON.stringify(event.data),
    ]);
    return Number(rows[0]?.seq);
  }

  async listCampaignEvents(campaign: string): Promise<CampaignEvent[]> {
    const { rows } = await this.query<{ seq: string; type: string; at: string; data: string }>(
      `SELECT seq, type, at, data FROM ${this.table('campaign_events')} WHERE campaign = $1 ORDER BY seq`,
      [campaign],
    );
    return rows.map((row) => ({ seq: Number(row.seq), campaign, type: row.type as CampaignEvent['type'], at: row.at, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  async listRunTargets(campaign: string): Promise<{ runId: string; spec: unknown; facts: unknown }[]> {
    const { rows } = await this.query<{ run_id: string; data: string }>(
      `SELECT run_id, data FROM ${this.table('events')} WHERE campaign = $1 AND type = 'run.created' ORDER BY seq`,
      [campaign],
    );
    return rows.map((row) => {
      const data = JSON.parse(row.data) as { spec?: unknown; facts?: unknown };
      return { runId: row.run_id, spec: data.spec, facts: data.facts };
    });
  }

  async enqueueSignal(item: Omit<InboxItem, 'id'>): Promise<number> {
    const { rows } = await this.query<{ id: string }>(
      `INSERT INTO ${this.table('inbox')} (campaign, run_id, name, data, cause, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [item.campaign, item.runId, item.name, JSON.stringify(item.data), item.cause, item.at],
    );
    return Number(rows[0]?.id);
  }

  async pendingSignals(campaign: string, limit: number): Promise<InboxItem[]> {
    const { rows } = await this.query<{ id: string; campaign: string; run_id: string; name: string; data: string; cause: string; at: string }>(
      `SELECT id, campaign, run_id, name, data, cause, at FROM ${this.table('inbox')} WHERE campaign = $1 AND processed_at IS NULL ORDER BY id LIMIT $2`,
      [campaign, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), campaign: row.campaign, runId: row.run_id, name: row.name, data: JSON.parse(row.data) as Record<string, unknown>, cause: row.cause, at: row.at }));
  }

  async dropSignal(id: number, at: string): Promise<void> {
    await this.query(`UPDATE ${this.table('inbox')} SET processed_at = $1 WHERE id = $2 AND processed_at IS NULL`, [at, id]);
  }

  async recordDelivery(id: string, at: string): Promise<boolean> {
    const { rowCount } = await this.query(`INSERT INTO ${this.table('deliveries')} (id, at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, [id, at]);
    return rowCount === 1;
  }

  async deliverySeen(id: string): Promise<boolean> {
    const { rows } = await this.query(`SELECT 1 FROM ${this.table('deliveries')} WHERE id = $1`, [id]);
    return rows.length > 0;
  }

  async getCheckpoint(runId: string, key: string): Promise<{ value: unknown } | undefined> {
    const { rows } = await this.query<{ value: string }>(`SELECT value FROM ${this.table('checkpoints')} WHERE run_id = $1 AND key = $2`, [runId, key]);
    return rows[0] ? { value: JSON.parse(rows[0].value) as unknown } : undefined;
  }

  async putCheckpoint(runId: string, key: string, value: unknown, at: string): Promise<void> {
    await this.query(
      `INSERT INTO ${this.table('checkpoints')} (run_id, key, value, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, at = excluded.at`,
      [runId, key, JSON.stringify(value ?? null), at],
    );
  }

  acquireLock(name: string, owner: string, nowMs: number, ttlMs: number, steal?: (holder: string) => boolean): Promise<LockResult> {
    return this.transaction(async (client) => {
      await client.query(`INSERT INTO ${this.table('locks')} (name, owner, expires_at) VALUES ($1, '', 0) ON CONFLICT (name) DO NOTHING`, [name]);
      const { rows } = await client.query<{ owner: string; expires_at: string }>(`SELECT owner, expires_at FROM ${this.table('locks')} WHERE name = $1 FOR UPDATE`, [name]);
      const row = rows[0];
      if (row && row.owner !== owner && row.owner !== '' && Number(row.expires_at) > nowMs && !(steal?.(row.owner) ?? false)) {
        return { acquired: false, holder: row.owner };
      }
      await client.query(
        `INSERT INTO ${this.table('locks')} (name, owner, expires_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at`,
        [name, owner, nowMs + ttlMs],
      );
      return { acquired: true };
    });
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.query(`DELETE FROM ${this.table('locks')} WHERE name = $1 AND owner = $2`, [name, owner]);
  }

  async listFacts(): Promise<CachedFactsRow[]> {
    const { rows } = await this.query<{ repo: string; commit_sha: string; facts: string }>(`SELECT repo, commit_sha, facts FROM ${this.table('facts_cache')}`);
    return rows.map((row) => ({ repo: row.repo, commit: row.commit_sha, facts: JSON.parse(row.facts) as CachedFactsRow['facts'] }));
  }

  async putFacts(rows: readonly CachedFactsRow[]): Promise<void> {
    // One statement may not update a row twice: the last row for a repository and commit wins.
    const unique = new Map(rows.map((row) => [`${row.repo}\0${row.commit}`, row]));
    if (unique.size === 0) return;
    const list = [...unique.values()];
    await this.query(
      `INSERT INTO ${this.table('facts_cache')} (repo, commit_sha, facts) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (repo, commit_sha) DO UPDATE SET facts = excluded.facts`,
      [list.map((row) => row.repo), list.map((row) => row.commit), list.map((row) => JSON.stringify(row.facts))],
    );
  }
}

/** A database failure as Flotilla reports it: `external` (exit code 3), with PostgreSQL's message. */
export function toStoreError(error: unknown): Error {
  if (isFlotillaError(error)) return error;
  // A refused connection arrives as an AggregateError (one error per address tried) with no message.
  const inner = error instanceof AggregateError ? (error.errors as unknown[]).map(errorMessage).join('; ') : '';
  return new FlotillaError('external', `PostgreSQL: ${inner || errorMessage(error)}`, { retryable: true, cause: error });
}

function toCampaign(row: CampaignRow): CampaignRecord {
  return { name: row.name, status: row.status as CampaignStatus, hash: row.hash, spec: JSON.parse(row.spec) as unknown, file: row.file, createdAt: row.created_at, updatedAt: row.updated_at };
}
