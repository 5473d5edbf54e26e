import { z } from 'zod';
import { DECISION_EVENT, decisionSchema, type Decision } from '../../confidence/decision.js';
import type { RunEvent } from '../../model/events.js';
import type { Store } from '../../store/store.js';

/** The signal `flotilla outcome` records on a finished run: how the change turned out after it landed. */
export const OUTCOME_SIGNAL = 'outcome.recorded';
export const RECORDED_OUTCOMES = ['healthy', 'reverted', 'broke'] as const;
export type RecordedOutcome = (typeof RECORDED_OUTCOMES)[number];

const outcomeData = z.looseObject({ outcome: z.enum(RECORDED_OUTCOMES), reason: z.string().optional() });

export interface OutcomeRecord {
  outcome: RecordedOutcome;
  reason?: string;
  at: string;
}

export interface DecisionRecord {
  decision: Decision;
  step: string;
  at: string;
}

/**
 * What a campaign's event log says about confidence: each run's latest gate decision and latest recorded
 * outcome (a later `flotilla outcome` corrects an earlier one). Read incrementally — `update` reads only
 * events after the last one it saw — so a gate that asks for every target stays cheap on a long log.
 */
export class CampaignLedger {
  readonly decisions = new Map<string, DecisionRecord>();
  readonly outcomes = new Map<string, OutcomeRecord>();
  private lastSeq = 0;

  constructor(readonly campaign: string) {}

  async update(store: Store): Promise<this> {
    const events = await store.listEvents({ campaign: this.campaign, afterSeq: this.lastSeq });
    for (const event of events) {
      this.lastSeq = Math.max(this.lastSeq, event.seq ?? 0);
      this.apply(event);
    }
    return this;
  }

  private apply(event: RunEvent): void {
    if (event.type === 'step.reported' && event.data.name === DECISION_EVENT) {
      const parsed = decisionSchema.safeParse(event.data.data);
      if (parsed.success) this.decisions.set(event.runId, { decision: parsed.data, step: event.data.step, at: event.at });
    } else if (event.type === 'signal.received' && event.data.name === OUTCOME_SIGNAL) {
      const parsed = outcomeData.safeParse(event.data.data);
      if (parsed.success) this.outcomes.set(event.runId, { outcome: parsed.data.outcome, ...(parsed.data.reason ? { reason: parsed.data.reason } : {}), at: event.at });
    }
  }
}

/** Reads one campaign's ledger from the start. */
export function readLedger(store: Store, campaign: string): Promise<CampaignLedger> {
  return new CampaignLedger(campaign).update(store);
}

/** Whether a recorded outcome means the change was safe (the label learning and calibration use). */
export function isSafe(outcome: RecordedOutcome): boolean {
  return outcome === 'healthy';
}
