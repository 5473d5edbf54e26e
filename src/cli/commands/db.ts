import type { Command } from 'commander';
import { runMigrations, Logger } from 'graphile-worker';
import { workerSchemaOf } from '../../distributed/step-job.js';
import { migrationStatus } from '../../store/postgres/migrate.js';
import { PostgresStore } from '../../store/postgres/postgres-store.js';
import { printJson, table, type Output } from '../output.js';
import { requireDatabase } from '../state.js';

/**
 * `flotilla db migrate|status`: the PostgreSQL schema of the distributed engine. Servers and workers
 * migrate on start too (under an advisory lock, so many can start at once); `migrate` is for deployments
 * that prefer to do it as a separate step, `status` shows what is applied.
 */
export function registerDb(program: Command, output: Output): void {
  const db = program.command('db').description('The PostgreSQL schema of the distributed engine (migrate, status)');
  db.command('migrate')
    .description('Apply pending migrations (Flotilla\'s tables and the job queue)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const url = requireDatabase('db migrate');
      const store = new PostgresStore({ connectionString: url, poolSize: 2 });
      try {
        const before = await migrationStatus(store.pool, store.schema).catch(() => []);
        await store.ready();
        await runMigrations({ pgPool: store.pool, schema: workerSchemaOf(store.schema), logger: new Logger(() => () => undefined) });
        const after = await migrationStatus(store.pool, store.schema);
        const applied = after.filter((entry) => entry.appliedAt && !before.find((old) => old.version === entry.version && old.appliedAt)).map((entry) => entry.version);
        if (options.json) return printJson(output, { schema: store.schema, applied, version: Math.max(0, ...after.map((entry) => entry.version)) });
        output.out(applied.length ? `applied ${applied.map((version) => String(version).padStart(4, '0')).join(', ')} to schema ${store.schema}` : `schema ${store.schema} is up to date`);
      } finally {
        await store.close();
      }
    });
  db.command('status')
    .description('Show which migrations are applied')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const url = requireDatabase('db status');
      const store = new PostgresStore({ connectionString: url, poolSize: 2, migrate: false });
      try {
        const status = await migrationStatus(store.pool, store.schema);
        if (options.json) return printJson(output, { schema: store.schema, migrations: status });
        output.out(table([['version', 'name', 'applied'], ...status.map((entry) => [String(entry.version).padStart(4, '0'), entry.name, entry.appliedAt ?? 'pending'])]));
      } finally {
        await store.close();
      }
    });
}
