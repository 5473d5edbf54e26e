import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import type { CachedFactsRow, CampaignEvent, CampaignRecord, CampaignStatus, InboxItem, EventQuery, LockResult, LogLine, Store } from '../store.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

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
  seq: number;
  run_id: string;
  type: string;
  at: string;
  data: string;
}

interface LogRow {
  run_id: string;
  step: string;
  attempt: number;
  at: string;
  text: string;
}

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is synchronous, which is what makes it
 * fast here: a transition is one short transaction with no round trip.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writeEventTransaction: (event: RunEvent, state: RunState, consumedInboxId: number | undefined) => number;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL is durable across process crashes (the failure we design for);
    // only a power loss can lose the last transactions.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    migrate(this.db);
    this.statements = {
      insertEvent: this.db.prepare<[string, string, string, string, string]>(
        'INSERT INTO events (run_id, campaign, type, at, data) VALUES (?, ?, ?, ?, ?)',
      ),
      insertRun: this.db.prepare<[string, string, string, string, string | null, number, string, string]>(
        'INSERT INTO runs (run_id, campaign, target, status, outcome, version, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateRun: this.db.prepare<[string, string | null, number, string, string, string, number]>(
        'UPDATE runs SET status = ?, outcome = ?, version = ?, state = ?, updated_at = ? WHERE run_id = ? AND version = ?',
      ),
      getRun: this.db.prepare<[string], { state: string }>('SELECT state FROM runs WHERE run_id = ?'),
      listRuns: this.db.prepare<[string], { state: string }>('SELECT state FROM runs WHERE campaign = ? ORDER BY target'),
      consume: this.db.prepare<[string, number]>('UPDATE inbox SET processed_at = ? WHERE id = ? AND processed_at IS NULL'),
      insertLog: this.db.prepare<[string, string, number, string, string]>(
        'INSERT INTO step_logs (run_id, step, attempt, at, text) VALUES (?, ?, ?, ?, ?)',
      ),
    };
    this.writeEventTransaction = this.db.transaction(this.writeEvent);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  saveCampaign(record: CampaignRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO campaigns (name, hash, spec, file, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, spec = excluded.spec, file = excluded.file, updated_at = excluded.updated_at`,
      )
      .run(record.name, record.hash, JSON.stringify(record.spec), record.file, record.createdAt, record.updatedAt);
    return Promise.resolve();
  }

  getCampaign(name: string): Promise<CampaignRecord | undefined> {
    const row = this.db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE name = ?').get(name);
    return Promise.resolve(row ? toCampaign(row) : undefined);
  }

  listCampaigns(): Promise<CampaignRecord[]> {
    const rows = this.db.prepare<[], CampaignRow>('SELECT * FROM campaigns ORDER BY created_at, name').all();
    return Promise.resolve(rows.map(toCampaign));
  }

  appendEvent(event: RunEvent, state: RunState, consumedInboxId?: number): Promise<number> {
    return Promise.resolve(this.appendEventSync(event, state, consumedInboxId));
  }

  /** Appends an event and the run's snapshot in one transaction (compiled once: this is the hot path). */
  private readonly writeEvent = (event: RunEvent, state: RunState, consumedInboxId: number | undefined): number => {
    const { insertEvent, insertRun, updateRun, consume } = this.statements;
    if (consumedInboxId !== undefined) consume.run(event.at, consumedInboxId);
    const seq = Number(insertEvent.run(event.runId, state.campaign, event.type, event.at, JSON.stringify(event.data)).lastInsertRowid);
    const json = JSON.stringify(state);
    if (state.version === 1) {
      insertRun.run(state.runId, state.campaign, state.target, state.status, state.outcome ?? null, 1, json, state.updatedAt);
    } else {
      const changed = updateRun.run(state.status, state.outcome ?? null, state.version, json, state.updatedAt, state.runId, state.version - 1).changes;
      if (changed !== 1) throw new FlotillaError('conflict', `run ${state.runId} was changed by another writer`, { retryable: true });
    }
    return seq;
  };

  private readonly appendEventSync = (event: RunEvent, state: RunState, consumedInboxId?: number): number => {
    try {
      return this.writeEventTransaction(event, state, consumedInboxId);
    } catch (error) {
      if (error instanceof FlotillaError) throw error;
      if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new FlotillaError('conflict', `run ${state.runId} already exists`, { retryable: true, cause: error });
      }
      throw error;
    }
  };

  getRun(runId: string): Promise<RunState | undefined> {
    const row = this.statements.getRun.get(runId);
    return Promise.resolve(row ? (JSON.parse(row.state) as RunState) : undefined);
  }

  listRuns(campaign: string): Promise<RunState[]> {
    return Promise.resolve(this.statements.listRuns.all(campaign).map((row) => JSON.parse(row.state) as RunState));
  }

  listEvents(query: EventQuery): Promise<RunEvent[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.campaign !== undefined) {
      where.push('campaign = ?');
      params.push(query.campaign);
    }
    if (query.runId !== undefined) {
      where.push('run_id = ?');
      params.push(query.runId);
    }
    if (query.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(query.afterSeq);
    }
    const sql = `SELECT seq, run_id, type, at, data FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
    params.push(query.limit ?? -1);
    const rows = this.db.prepare<(string | number)[], EventRow>(sql).all(...params);
    return Promise.resolve(
      rows.map((row) => ({ seq: row.seq, runId: row.run_id, type: row.type, at: row.at, data: JSON.parse(row.data) as unknown }) as RunEvent),
    );
  }

  appendLogs(lines: readonly LogLine[]): Promise<void> {
    const insert = this.statements.insertLog;
    this.db.transaction(() => {
      for (const line of lines) insert.run(line.runId, line.step, line.attempt, line.at, line.text);
    })();
    return Promise.resolve();
  }

  readLogs(runId: string, step?: string): Promise<LogLine[]> {
    const rows =
      step === undefined
        ? this.db.prepare<[string], LogRow>('SELECT run_id, step, attempt, at, text FROM step_logs WHERE run_id = ? ORDER BY id').all(runId)
        : this.db
            .prepare<[string, string], LogRow>('SELECT run_id, step, attempt, at, text FROM step_logs WHERE run_id = ? AND step = ? ORDER BY id')
            .all(runId, step);
    return Promise.resolve(rows.map((row) => ({ runId: row.run_id, step: row.step, attempt: row.attempt, at: row.at, text: row.text })));
  }

  setCampaignStatus(name: string, status: CampaignStatus, at: string): Promise<void> {
    this.db.prepare('UPDATE campaigns SET status = ?, updated_at = ? WHERE name = ?').run(status, at, name);
    return Promise.resolve();
  }

  appendCampaignEvent(event: CampaignEvent): Promise<number> {
    const result = this.db
      .prepare('INSERT INTO campaign_events (campaign, type, at, data) VALUES (?, ?, ?, ?)')
      .run(event.campaign, event.type, event.at, JSON.stringify(event.data));
    return Promise.resolve(Number(result.lastInsertRowid));
  }

  listCampaignEvents(campaign: string): Promise<CampaignEvent[]> {
    const rows = this.db
      .prepare<[string], { seq: number; type: string; at: string; data: string }>('SELECT seq, type, at, data FROM campaign_events WHERE campaign = ? ORDER BY seq')
      .all(campaign);
    return Promise.resolve(rows.map((row) => ({ seq: row.seq, campaign, type: row.type as CampaignEvent['type'], at: row.at, data: JSON.parse(row.data) as Record<string, unknown> })));
  }

  listRunTargets(campaign: string): Promise<{ runId: string; spec: unknown; facts: unknown }[]> {
    const rows = this.db
      .prepare<[string], { run_id: string; data: string }>("SELECT run_id, data FROM events WHERE campaign = ? AND type = 'run.created' ORDER BY seq")
      .all(campaign);
    return Promise.resolve(
      rows.map((row) => {
        const data = JSON.parse(row.data) as { spec?: unknown; facts?: unknown };
        return { runId: row.run_id, spec: data.spec, facts: data.facts };
      }),
    );
  }

  enqueueSignal(item: Omit<InboxItem, 'id'>): Promise<number> {
    const result = this.db
      .prepare('INSERT INTO inbox (campaign, run_id, name, data, cause, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(item.campaign, item.runId, item.name, JSON.stringify(item.data), item.cause, item.at);
    return Promise.resolve(Number(result.lastInsertRowid));
  }

  pendingSignals(campaign: string, limit: number): Promise<InboxItem[]> {
    const rows = this.db
      .prepare<[string, number], { id: number; campaign: string; run_id: string; name: string; data: string; cause: string; at: string }>(
        'SELECT id, campaign, run_id, name, data, cause, at FROM inbox WHERE campaign = ? AND processed_at IS NULL ORDER BY id LIMIT ?',
      )
      .all(campaign, limit);
    return Promise.resolve(rows.map((row) => ({ id: row.id, campaign: row.campaign, runId: row.run_id, name: row.name, data: JSON.parse(row.data) as Record<string, unknown>, cause: row.cause, at: row.at })));
  }

  dropSignal(id: number, at: string): Promise<void> {
    this.statements.consume.run(at, id);
    return Promise.resolve();
  }

  recordDelivery(id: string, at: string): Promise<boolean> {
    const result = this.db.prepare('INSERT INTO deliveries (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING').run(id, at);
    return Promise.resolve(result.changes === 1);
  }

  deliverySeen(id: string): Promise<boolean> {
    return Promise.resolve(this.db.prepare<[string], { id: string }>('SELECT id FROM deliveries WHERE id = ?').get(id) !== undefined);
  }

  getCheckpoint(runId: string, key: string): Promise<{ value: unknown } | undefined> {
    const row = this.db.prepare<[string, string], { value: string }>('SELECT value FROM checkpoints WHERE run_id = ? AND key = ?').get(runId, key);
    return Promise.resolve(row ? { value: JSON.parse(row.value) as unknown } : undefined);
  }

  putCheckpoint(runId: string, key: string, value: unknown, at: string): Promise<void> {
    this.db
      .prepare('INSERT INTO checkpoints (run_id, key, value, at) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, at = excluded.at')
      .run(runId, key, JSON.stringify(value ?? null), at);
    return Promise.resolve();
  }

  acquireLock(name: string, owner: string, nowMs: number, ttlMs: number, steal?: (holder: string) => boolean): Promise<LockResult> {
    const take = this.db.transaction((): LockResult => {
      const row = this.db.prepare<[string], { owner: string; expires_at: number }>('SELECT owner, expires_at FROM locks WHERE name = ?').get(name);
      if (row && row.owner !== owner && row.expires_at > nowMs && !(steal?.(row.owner) ?? false)) {
        return { acquired: false, holder: row.owner };
      }
      this.db
        .prepare('INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at')
        .run(name, owner, nowMs + ttlMs);
      return { acquired: true };
    });
    return Promise.resolve(take.immediate());
  }

  releaseLock(name: string, owner: string): Promise<void> {
    this.db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner);
    return Promise.resolve();
  }

  listFacts(): Promise<CachedFactsRow[]> {
    const rows = this.db.prepare<[], { repo: string; commit_sha: string; facts: string }>('SELECT repo, commit_sha, facts FROM facts_cache').all();
    return Promise.resolve(rows.map((row) => ({ repo: row.repo, commit: row.commit_sha, facts: JSON.parse(row.facts) as CachedFactsRow['facts'] })));
  }

  putFacts(rows: readonly CachedFactsRow[]): Promise<void> {
    const insert = this.db.prepare('INSERT INTO facts_cache (repo, commit_sha, facts) VALUES (?, ?, ?) ON CONFLICT (repo, commit_sha) DO UPDATE SET facts = excluded.facts');
    this.db.transaction(() => {
      for (const row of rows) insert.run(row.repo, row.commit, JSON.stringify(row.facts));
    })();
    return Promise.resolve();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all().map((row) => row.version));
  for (const migration of SQLITE_MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

function toCampaign(row: CampaignRow): CampaignRecord {
  return { name: row.name, status: row.status as CampaignStatus, hash: row.hash, spec: JSON.parse(row.spec) as unknown, file: row.file, createdAt: row.created_at, updatedAt: row.updated_at };
}
