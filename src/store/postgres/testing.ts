import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import type { Store } from '../store.js';
import { quoteIdentifier } from './migrate.js';
import { PostgresStore } from './postgres-store.js';

/**
 * Test databases, in the manner of Backstage's `TestDatabases`: the same test body runs on SQLite and on
 * a real PostgreSQL, each test in its own schema (unit tests) or its own database (end-to-end tests, whose
 * processes only take a URL), dropped afterwards.
 *
 * `FLOTILLA_TEST_DATABASE_URL` names the server (default: the local one, user `postgres`, trust auth);
 * set it to `off` to run the SQLite half only.
 */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.FLOTILLA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  return url === 'off' ? undefined : url;
}

export interface TestStore {
  store: Store;
  /** Closes the store and drops what the test created. */
  cleanup(): Promise<void>;
}

export interface StoreFactory {
  name: 'SQLite' | 'PostgreSQL' | 'PostgreSQL without group commit';
  /** A fresh, empty store; `dir` is the test's temporary folder (SQLite keeps its file there). */
  open(dir: string): Promise<TestStore>;
}

/** A fresh schema in the test server: a store of its own, dropped on cleanup. */
export async function openTestPostgresStore(url: string, options: { poolSize?: number; groupCommit?: boolean } = {}): Promise<TestStore & { store: PostgresStore; schema: string }> {
  const schema = `flotilla_test_${randomBytes(6).toString('hex')}`;
  const store = new PostgresStore({ connectionString: url, schema, ...options });
  await store.ready();
  return {
    store,
    schema,
    cleanup: async () => {
      await store.close();
      await dropSchemas(url, [schema]);
    },
  };
}

/** Drops schemas (and everything in them) from the test server. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A fresh database on the test server, for tests that start processes with a `DATABASE_URL`. */
export async function createTestDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `flotilla_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The stores every store-backed test body runs on: SQLite always, PostgreSQL unless it is switched off;
 * `everyMode` adds PostgreSQL with a statement per append (the store contract runs both ways).
 */
export function storeFactories(everyMode = false): StoreFactory[] {
  const factories: StoreFactory[] = [
    {
      name: 'SQLite',
      open: (dir) => {
        const store = new SqliteStore(join(dir, 'state', 'flotilla.db'));
        return Promise.resolve({ store, cleanup: () => store.close() });
      },
    },
  ];
  const url = testDatabaseUrl();
  if (url) factories.push({ name: 'PostgreSQL', open: () => openTestPostgresStore(url) });
  if (url && everyMode) factories.push({ name: 'PostgreSQL without group commit', open: () => openTestPostgresStore(url, { groupCommit: false }) });
  return factories;
}
