import type { RunEvent } from '../model/events.js';
import type { RunState } from '../model/run.js';
import type { DetectedFacts } from '../facts/facts-cache.js';

/**
 * `paused`: no new steps start; `halted`: the same, because the rollout's gate or circuit breaker stopped
 * it (see its `campaign.halted` event); `cancelled`: every unfinished run ends `cancelled`.
 */
export type CampaignStatus = 'active' | 'paused' | 'halted' | 'cancelled';

/** A fact about a whole campaign: a wave started, the campaign halted, paused, resumed, cancelled. */
export interface CampaignEvent {
  seq?: number;
  campaign: string;
  type: 'campaign.wave-started' | 'campaign.halted' | 'campaign.paused' | 'campaign.resumed' | 'campaign.cancelled';
  at: string;
  data: Record<string, unknown>;
}

export interface CampaignRecord {
  name: string;
  status?: CampaignStatus;
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

/** An event from outside waiting to be applied to its run by whichever process runs the campaign. */
export interface InboxItem {
  id: number;
  campaign: string;
  runId: string;
  name: string;
  data: Record<string, unknown>;
  cause: string;
  at: string;
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
  appendEvent(event: RunEvent, state: RunState, consumedInboxId?: number): Promise<number>;
  getRun(runId: string): Promise<RunState | undefined>;
  listRuns(campaign: string): Promise<RunState[]>;
  listEvents(query: EventQuery): Promise<RunEvent[]>;

  appendLogs(lines: readonly LogLine[]): Promise<void>;
  readLogs(runId: string, step?: string): Promise<LogLine[]>;

  setCampaignStatus(name: string, status: CampaignStatus, at: string): Promise<void>;
  appendCampaignEvent(event: CampaignEvent): Promise<number>;
  listCampaignEvents(campaign: string): Promise<CampaignEvent[]>;
  /** The targets of a campaign's runs, as recorded when each run was created. */
  listRunTargets(campaign: string): Promise<{ runId: string; spec: unknown; facts: unknown }[]>;

  /** Queues an event for a run; `consumedInboxId` on appendEvent marks it applied in the same transaction. */
  enqueueSignal(item: Omit<InboxItem, 'id'>): Promise<number>;
  pendingSignals(campaign: string, limit: number): Promise<InboxItem[]>;
  /** Marks an inbox item done without an event (its run was already finished). */
  dropSignal(id: number, at: string): Promise<void>;
  /** Records a webhook delivery id; false when it was seen before (a replay). */
  recordDelivery(id: string, at: string): Promise<boolean>;
  deliverySeen(id: string): Promise<boolean>;

  getCheckpoint(runId: string, key: string): Promise<{ value: unknown } | undefined>;
  putCheckpoint(runId: string, key: string, value: unknown, at: string): Promise<void>;

  /** Takes or renews a named lock until `nowMs + ttlMs`; `steal` takes it from a holder known to be dead. */
  acquireLock(name: string, owner: string, nowMs: number, ttlMs: number, steal?: (holder: string) => boolean): Promise<LockResult>;
  releaseLock(name: string, owner: string): Promise<void>;

  /** Every cached fact detection (small: one row per repository and commit seen). */
  listFacts(): Promise<CachedFactsRow[]>;
  putFacts(rows: readonly CachedFactsRow[]): Promise<void>;
}
