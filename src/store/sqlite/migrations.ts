/**
 * Numbered migrations of the SQLite store, applied in order at open. Never edit one that has been
 * released: add the next number.
 */
export const SQLITE_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE campaigns (
        name TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        spec TEXT NOT NULL,
        file TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        campaign TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL,
        outcome TEXT,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX runs_by_campaign ON runs (campaign);
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL,
        campaign TEXT NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events (run_id, seq);
      CREATE INDEX events_by_campaign ON events (campaign, seq);
      CREATE TABLE step_logs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL,
        step TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX step_logs_by_run ON step_logs (run_id, step, id);
      CREATE TABLE checkpoints (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE facts_cache (
        repo TEXT NOT NULL,
        commit_sha TEXT NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (repo, commit_sha)
      );
    `,
  },
  {
    version: 2,
    name: 'inbox, campaign status, webhook deliveries',
    sql: `
      ALTER TABLE campaigns ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
      CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        campaign TEXT NOT NULL,
        run_id TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        cause TEXT NOT NULL,
        at TEXT NOT NULL,
        processed_at TEXT
      );
      CREATE INDEX inbox_pending ON inbox (campaign, id) WHERE processed_at IS NULL;
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'campaign events',
    sql: `
      CREATE TABLE campaign_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        campaign TEXT NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign, seq);
    `,
  },
];
