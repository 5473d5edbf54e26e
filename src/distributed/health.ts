import type { PostgresStore } from '../store/postgres/postgres-store.js';

/**
 * `/healthz` for the distributed engine's processes: healthy when the database answers. A process that
 * cannot reach it can neither take nor finish work, so it should not receive traffic.
 */
export async function flotillaHealth(store: PostgresStore, extra: Record<string, unknown> = {}): Promise<{ ok: boolean } & Record<string, unknown>> {
  const started = performance.now();
  try {
    await store.query('SELECT 1');
    return { ok: true, database: 'up', databaseMs: Math.round(performance.now() - started), ...extra };
  } catch (error) {
    return { ok: false, database: 'down', reason: error instanceof Error ? error.message : String(error), ...extra };
  }
}
