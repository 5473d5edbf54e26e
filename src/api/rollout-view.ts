import type { Target } from '../model/fleet.js';
import { assignWaves, orderByRisk } from '../rollout/waves.js';
import type { CampaignEvent, CampaignRecord, CampaignStatus, Store } from '../store/store.js';
import type { Rollout, Wave } from './api-responses.js';
import type { CampaignSnapshot } from './campaign-index.js';
import type { RunContext } from './stuck-reason.js';

interface RolloutSpec {
  waves?: (number | string)[];
  order?: 'risk' | 'fleet';
}

/** What "why is this stuck" needs to know about the campaign around a run. */
export interface CampaignContext {
  status: CampaignStatus;
  /** While the campaign is halted: why (the last `campaign.halted` event). */
  halted: { by: string; wave: number; reason: string; at: string } | undefined;
  /** The highest wave started (0-based); -1 before the first. */
  openWave: number;
  /** A target's wave (0-based), when the campaign rolls out in waves. */
  waveOf(target: string): number | undefined;
  events: readonly CampaignEvent[];
  spec: RolloutSpec | undefined;
}

/** The context `stuckReason` takes for one target. */
export function runContextOf(context: CampaignContext, target: string): RunContext {
  const wave = context.waveOf(target);
  return { status: context.status, openWave: context.openWave, ...(context.halted ? { halted: context.halted.reason } : {}), ...(wave === undefined ? {} : { wave }) };
}

/** Reads the campaign's events and plans its waves the way the engine does. */
export async function campaignContext(store: Store, record: CampaignRecord, snapshot: CampaignSnapshot): Promise<CampaignContext> {
  const events = await store.listCampaignEvents(record.name);
  const spec = ((record.spec ?? {}) as { rollout?: RolloutSpec }).rollout;
  let openWave = -1;
  let halted: CampaignContext['halted'];
  for (const event of events) {
    if (event.type === 'campaign.wave-started') openWave = Math.max(openWave, Number(event.data.wave));
    if (event.type === 'campaign.halted') halted = { by: String(event.data.by), wave: Number(event.data.wave), reason: String(event.data.reason), at: event.at };
  }
  const waves = spec ? snapshot.memo(`waves ${JSON.stringify(spec)}`, () => planWaves(snapshot, spec)) : undefined;
  return { status: record.status ?? 'active', halted: record.status === 'halted' ? halted : undefined, openWave, waveOf: (target) => waves?.get(target), events, spec };
}

/**
 * The wave of each target, as `CampaignRunner.planRollout` computes it: every recorded target, least
 * risky first (or in the order their runs were created, for `order: fleet`), cut at the cumulative sizes.
 */
function planWaves(snapshot: CampaignSnapshot, spec: RolloutSpec): Map<string, number> {
  const targets: Target[] = [];
  const byCreation = [...snapshot.runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const run of byCreation) {
    const recorded = snapshot.target(run.runId)?.recorded;
    if (recorded?.spec && recorded.facts) targets.push({ spec: recorded.spec, facts: recorded.facts });
  }
  return assignWaves(spec.order === 'fleet' ? targets : orderByRisk(targets), spec.waves ?? ['100%']);
}

/** The waves section of the campaign page: each wave's size and progress, the halt, the campaign events. */
export function rolloutView(context: CampaignContext, snapshot: CampaignSnapshot): Rollout {
  const events = context.events.map((event) => ({ seq: event.seq ?? 0, at: event.at, type: event.type, data: event.data }));
  if (!context.spec) return { spec: null, waves: [], halted: context.halted ?? null, events };
  const count = context.spec.waves?.length ?? 1;
  const waves: Wave[] = Array.from({ length: count }, (_, index) => ({ wave: index + 1, state: 'waiting', targets: 0, finished: 0, merged: 0, failed: 0, startedAt: null, reason: null }));
  for (const run of snapshot.runs) {
    const wave = waves[context.waveOf(run.target) ?? count - 1];
    if (!wave) continue;
    wave.targets++;
    if (run.status === 'done') wave.finished++;
    if (run.outcome === 'merged') wave.merged++;
    if (run.outcome === 'failed') wave.failed++;
  }
  for (const event of context.events) {
    const wave = event.type === 'campaign.wave-started' ? waves[Number(event.data.wave)] : undefined;
    if (!wave) continue;
    wave.startedAt = event.at;
    wave.reason = typeof event.data.reason === 'string' ? event.data.reason : null;
  }
  for (const [index, wave] of waves.entries()) {
    if (context.halted?.wave === index) wave.state = 'halted';
    else if (index <= context.openWave) wave.state = wave.finished === wave.targets ? 'done' : 'open';
  }
  return { spec: context.spec, waves, halted: context.halted ?? null, events };
}
