import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlotillaError } from '../model/errors.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  state: string;
  /** A PostgreSQL URL: the distributed engine's store (`--database`, or `DATABASE_URL`). */
  database?: string;
}

export const DEFAULT_STATE_DIR = '.flotilla';

/**
 * The database the command line chose (`--database`), set once per command by the program before its
 * action runs; commands open the store through `openStore` and need not pass it along.
 */
let chosenDatabase: string | undefined;

export function chooseDatabase(url: string | undefined): void {
  chosenDatabase = url;
}

/** The PostgreSQL URL in use: `--database`, else `DATABASE_URL`, else none (the embedded SQLite store). */
export function databaseUrl(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return chosenDatabase || env.DATABASE_URL || undefined;
}

export function stateDirOf(options: GlobalOptions): string {
  return resolve(options.state);
}

/**
 * Opens the store: PostgreSQL when a database URL is set (its migrations run as it opens), else the
 * embedded SQLite file under the state folder — which `mustExist` requires, for commands that only read
 * what a run recorded. The state folder still holds workspaces and mirrors in both cases.
 */
export function openStore(stateDir: string, mustExist = false): Store {
  const url = databaseUrl();
  if (url) return new PostgresStore({ connectionString: url });
  const file = join(stateDir, 'flotilla.db');
  if (mustExist && !existsSync(file)) {
    throw new FlotillaError('not-found', `no Flotilla state in ${stateDir}: run a campaign first, or point --state at the folder a run used`);
  }
  return new SqliteStore(file);
}

/** Runs `fn` with an open store and closes it whatever happens. */
export async function withStore<T>(stateDir: string, mustExist: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(stateDir, mustExist);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The database URL for commands of the distributed engine, which have no SQLite mode. */
export function requireDatabase(command: string): string {
  const url = databaseUrl();
  if (!url) throw new FlotillaError('bad-input', `flotilla ${command} needs a PostgreSQL database: pass --database URL or set DATABASE_URL`, { location: { field: '--database' } });
  return url;
}

/** A whole number option of at least `min`, or a bad-input error naming the option. */
export function wholeNumber(option: string, text: string, min = 1): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new FlotillaError('bad-input', `${option} must be a whole number of at least ${min}, not ${text}`, { location: { field: option } });
  return value;
}
