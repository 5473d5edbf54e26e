import type { RunEvent } from '../model/events.js';
import type { Target } from '../model/fleet.js';
import type { RunState } from '../model/run.js';
import type { Store } from '../store/store.js';
import type { Completion } from './burndown.js';
import { latestSeq } from './latest-seq.js';

/** Who a target belongs to and how critical it is: what the runs list filters by. */
export interface TargetInfo {
  owner: string | undefined;
  tier: number | undefined;
  /** The target as recorded when its run was created (what the engine plans waves from). */
  recorded: Partial<Target>;
}

/** A campaign's runs and timeline as of `seq`. */
export interface CampaignSnapshot {
  /** Sorted by target name. */
  runs: readonly RunState[];
  target(runId: string): TargetInfo | undefined;
  created: readonly number[];
  completed: readonly Completion[];
  seq: number;
  /** A value computed from this snapshot once, until the runs change (wave plans). */
  memo<T>(key: string, compute: () => T): T;
}

interface Entry {
  seq: number;
  runs: Map<string, RunState>;
  sorted: RunState[] | undefined;
  targets: Map<string, TargetInfo>;
  created: Map<string, number>;
  completed: Map<string, Completion>;
  memo: Map<string, unknown>;
}

const PAGE = 5000;

/**
 * Keeps each campaign's runs in memory and brings them up to date from the event log: every change to a
 * run is an appended event, so "events after the last one seen" (one indexed query) says exactly which
 * runs to read again. With 10,000 runs a request then costs a filter over memory instead of parsing every
 * run's JSON each time. Works with any `Store`, and with other processes writing to it.
 *
 * The burndown's times are those of the `run.created` and `run.completed` events: at first as each run's
 * state recorded them (`createdAt`; `updatedAt` of an ended run, its last event) — reading 60,000 events
 * to find them again costs seconds at 10,000 runs — then from the events that follow. Target facts come
 * from `store.listRunTargets` at first, then from the `run.created` events that follow (the same records).
 */
export class CampaignIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(private readonly store: Store) {}

  async snapshot(campaign: string): Promise<CampaignSnapshot> {
    let refresh = this.pending.get(campaign);
    if (!refresh) {
      refresh = this.refresh(campaign).finally(() => this.pending.delete(campaign));
      this.pending.set(campaign, refresh);
    }
    const entry = await refresh;
    entry.sorted ??= [...entry.runs.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    return {
      runs: entry.sorted,
      target: (runId) => entry.targets.get(runId),
      created: [...entry.created.values()],
      completed: [...entry.completed.values()],
      seq: entry.seq,
      memo: <T>(key: string, compute: () => T): T => {
        if (!entry.memo.has(key)) entry.memo.set(key, compute());
        return entry.memo.get(key) as T;
      },
    };
  }

  private async refresh(campaign: string): Promise<Entry> {
    const known = this.entries.get(campaign);
    if (!known) {
      const entry: Entry = { seq: 0, runs: new Map(), sorted: undefined, targets: new Map(), created: new Map(), completed: new Map(), memo: new Map() };
      // The position first: a run that changes while the rest is read is read again on the next refresh.
      entry.seq = await latestSeq(this.store);
      for (const run of await this.store.listRuns(campaign)) {
        entry.runs.set(run.runId, run);
        entry.created.set(run.runId, Date.parse(run.createdAt));
        if (run.status === 'done') entry.completed.set(run.runId, { at: Date.parse(run.updatedAt), outcome: run.outcome ?? 'cancelled' });
      }
      for (const recorded of await this.store.listRunTargets(campaign)) entry.targets.set(recorded.runId, targetInfo(recorded.spec, recorded.facts));
      this.entries.set(campaign, entry);
      return entry;
    }
    const changed = await this.readEvents(campaign, known);
    if (changed.size === 0) return known;
    if (changed.size > 1000) {
      for (const run of await this.store.listRuns(campaign)) known.runs.set(run.runId, run);
    } else {
      for (const runId of changed) {
        const run = await this.store.getRun(runId);
        if (run) known.runs.set(runId, run);
      }
    }
    known.sorted = undefined;
    known.memo.clear();
    return known;
  }

  /** Applies the events after `entry.seq` to the timeline; returns the runs they touched. */
  private async readEvents(campaign: string, entry: Entry): Promise<Set<string>> {
    const changed = new Set<string>();
    for (;;) {
      const events = await this.store.listEvents({ campaign, afterSeq: entry.seq, limit: PAGE });
      for (const event of events) {
        changed.add(event.runId);
        note(entry, event);
        entry.seq = Math.max(entry.seq, event.seq ?? entry.seq);
      }
      if (events.length < PAGE) return changed;
    }
  }
}

function note(entry: Entry, event: RunEvent): void {
  const at = Date.parse(event.at);
  if (event.type === 'run.created') {
    entry.created.set(event.runId, at);
    entry.targets.set(event.runId, targetInfo(event.data.spec, event.data.facts));
  } else if (event.type === 'run.completed') {
    entry.completed.set(event.runId, { at, outcome: event.data.outcome });
  }
}

function targetInfo(spec: unknown, facts: unknown): TargetInfo {
  const specOf = (spec ?? {}) as { owner?: unknown; tier?: unknown };
  const factsOf = (facts ?? {}) as { owner?: unknown; tier?: unknown };
  const owner = typeof specOf.owner === 'string' && specOf.owner ? specOf.owner : typeof factsOf.owner === 'string' && factsOf.owner ? factsOf.owner : undefined;
  const tier = typeof specOf.tier === 'number' ? specOf.tier : typeof factsOf.tier === 'number' ? factsOf.tier : undefined;
  return { owner, tier, recorded: { ...(spec ? { spec: spec as Target['spec'] } : {}), ...(facts ? { facts: facts as Target['facts'] } : {}) } };
}
