import type { Pool, PoolClient } from 'pg';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from './migrations.js';

export interface MigrationStatus {
  version: number;
  name: string;
  /** When it was applied (ISO), or undefined when it is pending. */
  appliedAt: string | undefined;
}

/** Quotes an identifier for SQL (`my schema` → `"my schema"`). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Applies the pending migrations, each in its own transaction, under a session advisory lock keyed by
 * the schema: many servers and workers starting at once wait for one another instead of racing to
 * create the same tables. Returns the versions it applied.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey(schema)]);
    try {
      const done = await appliedVersions(client, schema, true);
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql.replaceAll('{{schema}}', quoteIdentifier(schema)));
          await client.query(`INSERT INTO ${quoteIdentifier(schema)}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
            migration.version,
            migration.name,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)]);
    }
  } finally {
    client.release();
  }
  return applied;
}

/** Every known migration and whether it is applied, without changing anything. */
export async function migrationStatus(pool: Pool, schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<MigrationStatus[]> {
  const client = await pool.connect();
  try {
    const exists = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [`${quoteIdentifier(schema)}.schema_migrations`]);
    const rows = exists.rows[0]?.found
      ? (await client.query<{ version: number; applied_at: string }>(`SELECT version, applied_at FROM ${quoteIdentifier(schema)}.schema_migrations`)).rows
      : [];
    const at = new Map(rows.map((row) => [row.version, row.applied_at]));
    return migrations.map((migration) => ({ version: migration.version, name: migration.name, appliedAt: at.get(migration.version) }));
  } finally {
    client.release();
  }
}

async function appliedVersions(client: PoolClient, schema: string, create: boolean): Promise<Set<number>> {
  if (create) {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${quoteIdentifier(schema)}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
  }
  const rows = await client.query<{ version: number }>(`SELECT version FROM ${quoteIdentifier(schema)}.schema_migrations`);
  return new Set(rows.rows.map((row) => row.version));
}

function lockKey(schema: string): string {
  return `flotilla-migrate:${schema}`;
}
