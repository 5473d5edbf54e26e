import { describeEvent } from '../cli/commands/events.js';
import { campaignOf } from '../engine/reducer.js';
import type { RunEvent } from '../model/events.js';
import type { RunState } from '../model/run.js';
import type { CampaignState, EventView, Report, RunDetail, StepView } from './api-responses.js';
import type { TargetInfo } from './campaign-index.js';
import { stuckReason, type RunContext } from './stuck-reason.js';

/** The `step.reported` names other parts of Flotilla record, and the section of the run page each fills. */
export const REPORT_NAMES = { confidence: 'confidence.decision', compliance: 'compliance.findings', canary: 'canary.judgement' } as const;

export interface RunDetailInput {
  run: RunState;
  events: readonly RunEvent[];
  target: TargetInfo | undefined;
  context: RunContext;
  campaignState: CampaignState;
  now: Date;
}

/** Everything the run page shows: state, steps, why it is stuck, the reports steps made, what a person may do. */
export function runDetail(input: RunDetailInput): RunDetail {
  const { run } = input;
  const waitsForApproval = run.status !== 'done' && Object.values(run.steps).some((step) => step.status === 'waiting' && step.wait?.types.includes('approval.granted'));
  return {
    campaign: run.campaign,
    target: run.target,
    status: run.status,
    outcome: run.outcome ?? null,
    reasons: run.reasons,
    failedStep: run.failedStep ?? null,
    baseCommit: run.baseCommit,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    owner: input.target?.owner ?? null,
    tier: input.target?.tier ?? null,
    stuck: stuckReason(run, input.context, input.now) ?? null,
    wave: input.context.wave === undefined ? null : input.context.wave + 1,
    steps: stepViews(run),
    reports: {
      confidence: reports(run, input.events, REPORT_NAMES.confidence),
      compliance: reports(run, input.events, REPORT_NAMES.compliance),
      canary: reports(run, input.events, REPORT_NAMES.canary),
    },
    // Retry is refused (501) until the engine can reopen a finished run; see actions.ts.
    actions: { approve: waitsForApproval, reject: waitsForApproval, retry: false, revert: run.outcome === 'merged' },
    campaignState: input.campaignState,
  };
}

function stepViews(run: RunState): StepView[] {
  return Object.entries(run.steps).map(([id, step]) => ({
    id,
    status: step.status,
    attempt: step.attempt,
    startedAt: step.startedAt ?? null,
    finishedAt: step.finishedAt ?? null,
    durationMs: step.durationMs ?? null,
    error: step.error ?? null,
    reason: step.reason ?? null,
    wait: step.wait ? { reason: step.wait.reason, types: step.wait.types, deadline: step.wait.deadline ?? null } : null,
    output: step.output ?? null,
  }));
}

function reports(run: RunState, events: readonly RunEvent[], name: string): Report[] {
  const found: Report[] = [];
  for (const event of events) {
    if (event.type !== 'step.reported' || event.data.name !== name) continue;
    const step = run.steps[event.data.step];
    found.push({
      seq: event.seq ?? 0,
      at: event.at,
      step: event.data.step,
      data: event.data.data,
      output: step?.status === 'succeeded' && step.output ? step.output : null,
    });
  }
  return found;
}

/** An event for the API and the stream: with its campaign, target and the words `flotilla events` uses. */
export function eventView(event: RunEvent): EventView {
  const campaign = campaignOf(event.runId);
  return {
    seq: event.seq ?? 0,
    campaign,
    target: event.runId.slice(campaign.length + 1),
    type: event.type,
    at: event.at,
    data: event.data,
    summary: summaryOf(event),
  };
}

function summaryOf(event: RunEvent): string {
  // Event types a newer engine appends (waves, breakers) are not in describeEvent's switch yet.
  const described = describeEvent(event) as string | undefined;
  return described ?? JSON.stringify(event.data);
}
