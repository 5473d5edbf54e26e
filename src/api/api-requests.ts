import { z } from 'zod';

/**
 * The schemas that validate what callers send: query strings and JSON bodies. `GET /api/openapi.json`
 * is generated from these same objects, so the published contract cannot drift from what is enforced.
 * Query schemas are strict: an unknown parameter is a 400 that names it, not something silently ignored.
 *
 * This file imports nothing but zod: the dashboard imports its types too.
 */

const OUTCOME_FILTERS = ['merged', 'changed', 'needs-human', 'failed', 'skipped', 'cancelled', 'unfinished'] as const;

const offset = z.coerce.number().int().min(0).default(0).describe('rows to skip');
const limit = (max: number, fallback: number): z.ZodDefault<z.ZodCoercedNumber> =>
  z.coerce.number().int().min(1).max(max).default(fallback).describe(`rows to return (1–${max})`);

export const runsQuerySchema = z.strictObject({
  outcome: z.enum(OUTCOME_FILTERS).optional().describe('only runs that ended so; `unfinished` = not ended yet'),
  owner: z.string().min(1).max(200).optional().describe("only targets of this owner (the fleet's `owner`)"),
  tier: z.coerce.number().int().min(0).max(3).optional().describe('only targets of this tier (0 most critical … 3)'),
  step: z.string().min(1).max(100).optional().describe('only runs at this step now (running or waiting), or that failed at it'),
  status: z.enum(['running', 'waiting', 'done']).optional().describe('only runs in this state'),
  q: z.string().max(200).optional().describe('case-insensitive text in the target name, owner or detail'),
  offset,
  limit: limit(1000, 100),
});

export const stuckQuerySchema = z.strictObject({ offset, limit: limit(1000, 100) });

export const runEventsQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).optional().describe('only events after this sequence number'),
  limit: limit(5000, 1000),
});

export const logsQuerySchema = z.strictObject({
  step: z.string().min(1).max(100).optional().describe('only this step (default: every step)'),
});

export const logStreamQuerySchema = z.strictObject({
  step: z.string().min(1).max(100).describe('the step whose log to follow'),
});

export const eventStreamQuerySchema = z.strictObject({
  campaign: z.string().min(1).max(100).optional().describe('only events of this campaign (default: every campaign)'),
  after: z.coerce.number().int().min(0).optional().describe('replay events after this sequence number first (as `Last-Event-ID` does)'),
});

/** The body of approve, reject, retry, pause, resume, cancel and revert; an empty body is `{}`. */
export const actionBodySchema = z.strictObject({
  reason: z.string().max(2000).optional().describe('why; kept in the run history'),
  by: z.string().min(1).max(100).optional().describe('who acts (default `api`)'),
});

/** No parameters: a query or body that must be empty (an unknown field is refused, not ignored). */
export const emptySchema = z.strictObject({});

/** The body of pause, resume and cancel: who acts (kept in the campaign event). */
export const campaignActionBodySchema = z.strictObject({
  by: z.string().min(1).max(100).optional().describe('who acts (default `api`)'),
});

/** The body of a campaign's revert: which merged targets to revert (default: every one). */
export const revertBodySchema = z.strictObject({
  targets: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional().describe('only these targets (each must have merged)'),
  by: z.string().min(1).max(100).optional(),
});

export type RunsQuery = z.output<typeof runsQuerySchema>;
export type ActionBody = z.output<typeof actionBodySchema>;
export type CampaignActionBody = z.output<typeof campaignActionBodySchema>;
