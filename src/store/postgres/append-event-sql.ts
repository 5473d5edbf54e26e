import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import { quoteIdentifier } from './migrate.js';

export interface AppendStatement {
  text: string;
  values: (event: RunEvent, state: RunState, consumedInboxId: number | undefined) => unknown[];
}

/**
 * The one statement that appends an event: it writes the run's snapshot (insert for the first event,
 * update guarded by the expected version otherwise), marks the consumed inbox item, and inserts the event —
 * the last two only when the snapshot was written. A single statement is atomic and commits once; no row
 * back means the version check failed (another writer got there first) and nothing was written.
 *
 * Under READ COMMITTED two writers with the same expected version serialise on the run's row lock; the
 * second re-checks `version` after the first commits and matches nothing.
 */
export function appendEventSql(schema: string, first: boolean): AppendStatement {
  const table = (name: string): string => `${quoteIdentifier(schema)}.${name}`;
  const run = first
    ? `INSERT INTO ${table('runs')} (run_id, campaign, target, status, outcome, version, state, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id) DO NOTHING RETURNING run_id`
    : `UPDATE ${table('runs')} SET campaign = $2, target = $3, status = $4, outcome = $5, version = $6, state = $7, updated_at = $8
       WHERE run_id = $1 AND version = $6::integer - 1 RETURNING run_id`;
  const text = `
    WITH run AS (${run}),
    consumed AS (
      UPDATE ${table('inbox')} SET processed_at = $9 WHERE id = $10 AND processed_at IS NULL AND EXISTS (SELECT 1 FROM run)
    )
    INSERT INTO ${table('events')} (run_id, campaign, type, at, data)
    SELECT $1, $2, $11, $9, $12 FROM run RETURNING seq`;
  return {
    text,
    values: (event, state, consumedInboxId) => [
      state.runId,
      state.campaign,
      state.target,
      state.status,
      state.outcome ?? null,
      state.version,
      JSON.stringify(state),
      state.updatedAt,
      event.at,
      consumedInboxId ?? null,
      event.type,
      JSON.stringify(event.data),
    ],
  };
}
