/**
 * Numbered migrations of the PostgreSQL store, applied in order at start under an advisory lock (see
 * `migrate.ts`). They are TypeScript strings rather than `.sql` files so that they ship in `dist` with the
 * compiled code and need no copy step. `{{schema}}` stands for the store's quoted schema name.
 *
 * Never edit a migration that has been released: add the next number.
 *
 * Columns mirror the SQLite store's: times are ISO-8601 text and JSON is kept as the exact text written
 * (`text`, not `jsonb`), so what a reader sees is byte for byte what the writer wrote, key order included.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE {{schema}}.campaigns (
        name text PRIMARY KEY,
        status text NOT NULL DEFAULT 'active',
        hash text NOT NULL,
        spec text NOT NULL,
        file text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      );
      CREATE TABLE {{schema}}.runs (
        run_id text PRIMARY KEY,
        campaign text NOT NULL,
        target text NOT NULL,
        status text NOT NULL,
        outcome text,
        version integer NOT NULL,
        state text NOT NULL,
        updated_at text NOT NULL
      );
      CREATE INDEX runs_by_campaign ON {{schema}}.runs (campaign, target);
      CREATE TABLE {{schema}}.events (
        seq bigserial PRIMARY KEY,
        run_id text NOT NULL,
        campaign text NOT NULL,
        type text NOT NULL,
        at text NOT NULL,
        data text NOT NULL
      );
      CREATE INDEX events_by_run ON {{schema}}.events (run_id, seq);
      CREATE INDEX events_by_campaign ON {{schema}}.events (campaign, seq);
      CREATE INDEX events_run_created ON {{schema}}.events (campaign, seq) WHERE type = 'run.created';
      CREATE TABLE {{schema}}.step_logs (
        id bigserial PRIMARY KEY,
        run_id text NOT NULL,
        step text NOT NULL,
        attempt integer NOT NULL,
        at text NOT NULL,
        text text NOT NULL
      );
      CREATE INDEX step_logs_by_run ON {{schema}}.step_logs (run_id, step, id);
      CREATE TABLE {{schema}}.checkpoints (
        run_id text NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        at text NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      CREATE TABLE {{schema}}.locks (
        name text PRIMARY KEY,
        owner text NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE TABLE {{schema}}.facts_cache (
        repo text NOT NULL,
        commit_sha text NOT NULL,
        facts text NOT NULL,
        PRIMARY KEY (repo, commit_sha)
      );
      CREATE TABLE {{schema}}.inbox (
        id bigserial PRIMARY KEY,
        campaign text NOT NULL,
        run_id text NOT NULL,
        name text NOT NULL,
        data text NOT NULL,
        cause text NOT NULL,
        at text NOT NULL,
        processed_at text
      );
      CREATE INDEX inbox_pending ON {{schema}}.inbox (campaign, id) WHERE processed_at IS NULL;
      CREATE TABLE {{schema}}.deliveries (
        id text PRIMARY KEY,
        at text NOT NULL
      );
      CREATE TABLE {{schema}}.campaign_events (
        seq bigserial PRIMARY KEY,
        campaign text NOT NULL,
        type text NOT NULL,
        at text NOT NULL,
        data text NOT NULL
      );
      CREATE INDEX campaign_events_by_campaign ON {{schema}}.campaign_events (campaign, seq);
    `,
  },
  {
    version: 2,
    name: 'distributed: step outcomes and worker heartbeats',
    sql: `
      -- What a worker recorded for one step attempt; the runner waiting for it is woken by NOTIFY.
      CREATE TABLE {{schema}}.step_outcomes (
        run_id text NOT NULL,
        step text NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL,
        worker text NOT NULL,
        queued_at timestamptz NOT NULL,
        started_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (run_id, step, attempt)
      );
      -- One row per live worker process; a row whose heartbeat is stale belongs to a dead worker.
      CREATE TABLE {{schema}}.workers (
        pool_id text PRIMARY KEY,
        name text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      );
      -- The worker whose disk holds a run's workspace: its later steps go there while it lives.
      CREATE TABLE {{schema}}.run_homes (
        run_id text PRIMARY KEY,
        worker text NOT NULL
      );
      -- A change as a binary patch from the run's base commit, so another worker can rebuild the workspace.
      CREATE TABLE {{schema}}.run_changes (
        run_id text NOT NULL,
        tree text NOT NULL,
        patch bytea NOT NULL,
        PRIMARY KEY (run_id, tree)
      );
    `,
  },
];
