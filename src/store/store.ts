import type { RunEvent } from '../model/events.js';
import type { RunState } from '../model/run.js';
import type { DetectedFacts } from '../facts/facts-cache.js';

export interface CampaignRecord {
  name: string;
  /** sha256 of the campaign's canonical definition: a changed definition is noticed on resume. */
  hash: string;
  spec: unknown;
  file: string;
  createdAt: string;
  updatedAt: string;
}

export interface LogLine {
  runId: string;
  step: string;
  attempt: number;
  at: string;
  text: string;
}

export interface EventQuery {
  campaign?: string;
  runId?: string;
  /** Only events after this sequence number. */
  afterSeq?: number;
  limit?: number;
}

export interface LockResult {
  acquired: boolean;
  /** Who holds the lock when it was not acquired. */
  holder?: string;
}

export interface CachedFactsRow {
  repo: string;
  commit: string;
  facts: DetectedFacts;
}

/**
 * Everything durable about campaigns and runs. The SQLite store implements it for the embedded
 * engine, the PostgreSQL store for the distributed one; the same test bodies run against both.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;

  saveCampaign(record: CampaignRecord): Promise<void>;
  getCampaign(name: string): Promise<CampaignRecord | undefined>;
  listCampaigns(): Promise<CampaignRecord[]>;

  /**
   * Appends one event and stores the run's new state in one transaction. `state.version` must be the
   * stored version + 1 (optimistic concurrency): a stale writer gets a `conflict` error and writes nothing.
   */
  appendEvent(event: RunEvent, state: RunState): Promise<number>;
  getRun(runId: string): Promise<RunState | undefined>;
  listRuns(campaign: string): Promise<RunState[]>;
  listEvents(query: EventQuery): Promise<RunEvent[]>;

  appendLogs(lines: readonly LogLine[]): Promise<void>;
  readLogs(runId: string, step?: string): Promise<LogLine[]>;

  getCheckpoint(runId: string, key: string): Promise<{ value: unknown } | undefined>;
  putCheckpoint(runId: string, key: string, value: unknown, at: string): Promise<void>;

  /** Takes or renews a named lock until `nowMs + ttlMs`; `steal` takes it from a holder known to be dead. */
  acquireLock(name: string, owner: string, nowMs: number, ttlMs: number, steal?: (holder: string) => boolean): Promise<LockResult>;
  releaseLock(name: string, owner: string): Promise<void>;

  /** Every cached fact detection (small: one row per repository and commit seen). */
  listFacts(): Promise<CachedFactsRow[]>;
  putFacts(rows: readonly CachedFactsRow[]): Promise<void>;
}
