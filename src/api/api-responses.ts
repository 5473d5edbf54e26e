import { z } from 'zod';

/**
 * The shapes the API answers with. Handlers are typed with `z.output` of these, so the OpenAPI document
 * (generated from them) and the code agree at compile time; the dashboard imports the same types.
 * Absent values are `null` (JSON has no `undefined`).
 *
 * This file imports nothing but zod: the dashboard imports its types too.
 */

const time = z.string().describe('ISO 8601 time');
const count = z.number().int().min(0);

export const errorSchema = z.object({ ok: z.literal(false), reason: z.string().describe('what was wrong, in words') });

export const campaignStateSchema = z
  .enum(['running', 'paused', 'halted', 'cancelled', 'done'])
  .describe('`done`: every run ended; `running`: some have not (some may be waiting); `halted`: its wave gate or circuit breaker stopped it');

export const campaignSummarySchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  state: campaignStateSchema,
  total: count.describe('runs (targets) in the campaign'),
  finished: count.describe('runs that ended'),
  waiting: count.describe('runs waiting for an event (CI, an approval, a deadline)'),
  progress: z.number().min(0).max(1).describe('finished / total'),
  counts: z.record(z.string(), count).describe('runs per outcome, plus `unfinished`'),
  createdAt: time,
  updatedAt: time,
});

export const burndownSchema = z.object({
  bucketMs: z.number().int().min(1),
  points: z.array(
    z.object({
      at: time,
      open: count.describe('runs created and not ended at this time'),
      landed: count.describe('runs merged by this time'),
      closed: count.describe('runs that ended otherwise by this time'),
    }),
  ),
});

export const campaignEventSchema = z.object({
  seq: z.number().int(),
  at: time,
  type: z.string().describe('campaign.wave-started, campaign.halted, campaign.paused, campaign.resumed, campaign.cancelled'),
  data: z.record(z.string(), z.unknown()),
});

export const waveSchema = z.object({
  wave: z.number().int().min(1).describe('1 = the first (least risky) wave'),
  state: z.enum(['waiting', 'open', 'done', 'halted']),
  targets: count,
  finished: count,
  merged: count,
  failed: count,
  startedAt: time.nullable(),
  reason: z.string().nullable().describe('why it started (the previous wave cleared the gate, …)'),
});

export const rolloutSchema = z.object({
  spec: z.unknown().describe("the campaign's `rollout` field, or null: every target at once"),
  waves: z.array(waveSchema).describe('as the engine plans them; empty without `rollout`'),
  halted: z.object({ by: z.string(), wave: z.number().int(), reason: z.string(), at: time }).nullable().describe('why the gate or the circuit breaker stopped the campaign, while it is halted'),
  events: z.array(campaignEventSchema).describe('the campaign events (waves, halts, pauses), oldest first'),
});

export const campaignDetailSchema = campaignSummarySchema.extend({
  burndown: burndownSchema,
  facets: z.object({ owners: z.array(z.string()), tiers: z.array(z.number().int()), steps: z.array(z.string()) }),
  rollout: rolloutSchema,
  seq: z.number().int().describe('the last event included: pass it as `after` to the event stream'),
});

export const runRowSchema = z.object({
  target: z.string(),
  status: z.enum(['running', 'waiting', 'done']),
  outcome: z.string().nullable(),
  owner: z.string().nullable(),
  tier: z.number().int().nullable(),
  step: z.string().nullable().describe('the step it is at now, or failed at'),
  detail: z.string().describe('the first reason, or where it is now'),
  updatedAt: time,
});

export const runPageSchema = z.object({ total: count, offset: count, limit: count, runs: z.array(runRowSchema) });

export const stuckKindSchema = z.enum(['waiting-ci', 'needs-approval', 'waiting', 'waiting-wave', 'halted', 'blocked', 'needs-human', 'failed', 'running', 'retrying', 'queued', 'paused', 'ending']);

export const stuckRunSchema = z.object({
  target: z.string(),
  kind: stuckKindSchema,
  reason: z.string().describe('why it has not landed, in words'),
  step: z.string().nullable(),
  since: time.nullable().describe('since when it has been so'),
});

export const stuckPageSchema = z.object({
  total: count,
  kinds: z.record(z.string(), count),
  offset: count,
  limit: count,
  runs: z.array(stuckRunSchema),
});

export const stepViewSchema = z.object({
  id: z.string(),
  status: z.string(),
  attempt: count,
  startedAt: time.nullable(),
  finishedAt: time.nullable(),
  durationMs: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  reason: z.string().nullable().describe('why it was skipped'),
  wait: z.object({ reason: z.string(), types: z.array(z.string()), deadline: time.nullable() }).nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
});

export const reportSchema = z.object({
  seq: z.number().int(),
  at: time,
  step: z.string(),
  data: z.record(z.string(), z.unknown()),
  output: z.record(z.string(), z.unknown()).nullable().describe("the reporting step's output, when it succeeded"),
});

export const runDetailSchema = z.object({
  campaign: z.string(),
  target: z.string(),
  status: z.enum(['running', 'waiting', 'done']),
  outcome: z.string().nullable(),
  reasons: z.array(z.string()),
  failedStep: z.string().nullable(),
  baseCommit: z.string(),
  createdAt: time,
  updatedAt: time,
  owner: z.string().nullable(),
  tier: z.number().int().nullable(),
  stuck: stuckRunSchema.nullable(),
  steps: z.array(stepViewSchema),
  reports: z.object({ confidence: z.array(reportSchema), compliance: z.array(reportSchema), canary: z.array(reportSchema) }),
  wave: z.number().int().min(1).nullable().describe("the run's wave, when the campaign rolls out in waves"),
  actions: z.object({ approve: z.boolean(), reject: z.boolean(), retry: z.boolean(), revert: z.boolean() }),
  campaignState: campaignStateSchema,
});

export const eventViewSchema = z.object({
  seq: z.number().int(),
  campaign: z.string(),
  target: z.string(),
  type: z.string(),
  at: time,
  data: z.unknown(),
  summary: z.string().describe('the event in words, as `flotilla events` prints it'),
});

export const logLineSchema = z.object({ step: z.string(), attempt: z.number().int(), at: time, text: z.string() });

export const actionResultSchema = z.object({
  ok: z.literal(true),
  what: z.string().describe('what was recorded'),
  appliedBy: z.string().describe('who applies it: the process that runs the campaign'),
  campaign: z.string().optional().describe('revert: the campaign that reverts (`<campaign>-revert`)'),
});

export type CampaignState = z.output<typeof campaignStateSchema>;
export type CampaignSummary = z.output<typeof campaignSummarySchema>;
export type CampaignDetail = z.output<typeof campaignDetailSchema>;
export type Burndown = z.output<typeof burndownSchema>;
export type CampaignEventView = z.output<typeof campaignEventSchema>;
export type Rollout = z.output<typeof rolloutSchema>;
export type Wave = z.output<typeof waveSchema>;
export type RunRow = z.output<typeof runRowSchema>;
export type RunPage = z.output<typeof runPageSchema>;
export type StuckKind = z.output<typeof stuckKindSchema>;
export type StuckRun = z.output<typeof stuckRunSchema>;
export type StuckPage = z.output<typeof stuckPageSchema>;
export type StepView = z.output<typeof stepViewSchema>;
export type Report = z.output<typeof reportSchema>;
export type RunDetail = z.output<typeof runDetailSchema>;
export type EventView = z.output<typeof eventViewSchema>;
export type LogLineView = z.output<typeof logLineSchema>;
export type ActionResult = z.output<typeof actionResultSchema>;
