import type pg from 'pg';
import { FlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import type { RunState } from '../../model/run.js';
import { quoteIdentifier } from './migrate.js';

interface Pending {
  event: RunEvent;
  state: RunState;
  inbox: number | undefined;
  resolve: (seq: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for event appends. Appends made in the same tick — a runner applies the outcomes that
 * arrive together, and starts the steps a pump admits, all at once — go to PostgreSQL as one statement and
 * one commit, instead of one round trip and one disk flush each.
 *
 * Each append keeps the semantics of its own transaction: its event, its run's snapshot (inserted for the
 * first event, else updated only from the expected version) and its inbox mark are written together or not
 * at all, and a stale append is refused with a `conflict` while the others in the batch are written. A batch
 * holds at most one append per run (a run's events are a sequence); a second waits for the next batch.
 *
 * At most two batches are in flight: while they are, appends gather for the next one, so batches grow
 * with the load and an idle store adds no delay at all.
 */
export class AppendBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly text: string;

  constructor(
    private readonly query: (text: string, values: unknown[]) => Promise<pg.QueryResult<{ seq: string; run_id: string }>>,
    schema: string,
    private readonly maxBatch = 500,
    /** Batches in flight at once; without group commit (batches of one) there is no reason to hold any back. */
    private readonly maxInFlight = maxBatch > 1 ? 2 : Infinity,
  ) {
    const table = (name: string): string => `${quoteIdentifier(schema)}.${name}`;
    this.text = `
      WITH input AS (
        SELECT * FROM json_to_recordset($1::json) AS i(idx integer, run_id text, campaign text, target text, status text, outcome text,
          version integer, state text, updated_at text, at text, inbox bigint, type text, data text)
      ),
      updated AS (
        UPDATE ${table('runs')} r SET campaign = i.campaign, target = i.target, status = i.status, outcome = i.outcome, version = i.version,
          state = i.state, updated_at = i.updated_at
        FROM input i WHERE i.version > 1 AND r.run_id = i.run_id AND r.version = i.version - 1 RETURNING i.idx
      ),
      created AS (
        INSERT INTO ${table('runs')} (run_id, campaign, target, status, outcome, version, state, updated_at)
        SELECT run_id, campaign, target, status, outcome, version, state, updated_at FROM input WHERE version = 1
        ON CONFLICT (run_id) DO NOTHING RETURNING run_id
      ),
      written AS (
        SELECT idx FROM updated UNION ALL SELECT i.idx FROM input i JOIN created c ON c.run_id = i.run_id WHERE i.version = 1
      ),
      consumed AS (
        UPDATE ${table('inbox')} b SET processed_at = i.at FROM input i JOIN written w ON w.idx = i.idx WHERE b.id = i.inbox AND b.processed_at IS NULL
      )
      INSERT INTO ${table('events')} (run_id, campaign, type, at, data)
      SELECT i.run_id, i.campaign, i.type, i.at, i.data FROM input i JOIN written w ON w.idx = i.idx ORDER BY i.idx
      RETURNING seq, run_id`;
  }

  append(event: RunEvent, state: RunState, inbox: number | undefined): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ event, state, inbox, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.inFlight >= this.maxInFlight) return;
    const batch: Pending[] = [];
    const later: Pending[] = [];
    const runs = new Set<string>();
    for (const item of this.pending) {
      if (runs.has(item.state.runId) || batch.length >= this.maxBatch) later.push(item);
      else {
        runs.add(item.state.runId);
        batch.push(item);
      }
    }
    this.pending = later;
    if (batch.length > 0) {
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        if (this.pending.length > 0) this.schedule();
      });
    }
    if (later.length > 0) this.schedule();
  }

  private async send(batch: readonly Pending[]): Promise<void> {
    const input = batch.map(({ event, state, inbox }, idx) => ({
      idx,
      run_id: state.runId,
      campaign: state.campaign,
      target: state.target,
      status: state.status,
      outcome: state.outcome ?? null,
      version: state.version,
      state: JSON.stringify(state),
      updated_at: state.updatedAt,
      at: event.at,
      inbox: inbox ?? null,
      type: event.type,
      data: JSON.stringify(event.data),
    }));
    let rows: { seq: string; run_id: string }[];
    try {
      rows = (await this.query(this.text, [JSON.stringify(input)])).rows;
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const seqs = new Map(rows.map((row) => [row.run_id, Number(row.seq)]));
    for (const item of batch) {
      const seq = seqs.get(item.state.runId);
      if (seq !== undefined) item.resolve(seq);
      else {
        const message = item.state.version === 1 ? `run ${item.state.runId} already exists` : `run ${item.state.runId} was changed by another writer`;
        item.reject(new FlotillaError('conflict', message, { retryable: true }));
      }
    }
  }
}
