import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FlotillaError } from '../model/errors.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  state: string;
}

export const DEFAULT_STATE_DIR = '.flotilla';

export function stateDirOf(options: GlobalOptions): string {
  return resolve(options.state);
}

/** Opens the embedded store; `mustExist` for commands that only read what a run recorded. */
export function openStore(stateDir: string, mustExist = false): Store {
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
