import { z } from 'zod';
import type { ExternalEvent, MappedPayload } from './external-event.js';

/**
 * Flotilla's own hook format, for CI systems, scripts and chat bots:
 * `{"campaign": "bump-debug", "target": "billing-api", "type": "ci.completed", "data": {...}}`, or
 * `match` (branch / commit / repo) instead of campaign + target. It is our format, so it is strict:
 * a misspelt field is an error, not silently dropped.
 */

const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

export const genericEventSchema = z
  .strictObject({
    type: z.string().regex(EVENT_TYPE, 'must be <noun>.<verb>, such as ci.completed or deploy.finished'),
    campaign: z.string().regex(/^[a-z0-9-]+$/, 'must be a campaign name (a-z, 0-9 and -)').optional(),
    target: z.string().min(1).optional(),
    match: z
      .strictObject({ branch: z.string().min(1).optional(), commit: z.string().min(1).optional(), repo: z.string().min(1).optional() })
      .optional(),
    data: z.record(z.string(), z.unknown()).default({}),
    /** Why the event was sent, in words; shown by `flotilla events`. */
    cause: z.string().min(1).optional(),
  })
  .refine((event) => (event.campaign !== undefined && event.target !== undefined) || Object.keys(event.match ?? {}).length > 0, {
    message: 'needs campaign and target, or match (branch, commit or repo), to find its run',
  });

export type GenericEvent = z.input<typeof genericEventSchema>;

/**
 * The data Flotilla's own event types need, whoever sends them: a `ci.completed` without a conclusion
 * would leave a waiting step guessing. Other types carry whatever data their sender chose.
 */
const knownData: Record<string, z.ZodType> = {
  'ci.completed': z.looseObject({ conclusion: z.string().min(1), commit: z.string().min(1).optional(), url: z.string().optional() }),
};

export function mapGenericEvent(payload: unknown, delivery: { source: string; deliveryId: string }): MappedPayload {
  const result = genericEventSchema.safeParse(payload);
  if (!result.success) return { kind: 'malformed', reason: describeIssue(result.error.issues[0]) };
  const body = result.data;
  const dataSchema = knownData[body.type];
  const data = dataSchema?.safeParse(body.data);
  if (data && !data.success) return { kind: 'malformed', reason: `${body.type} ${describeIssue(data.error.issues[0], 'data')}` };
  const event: ExternalEvent = {
    source: delivery.source,
    type: body.type,
    data: body.data,
    deliveryId: delivery.deliveryId,
    cause: `${delivery.source} hook: ${body.cause ?? body.type} (delivery ${delivery.deliveryId})`,
  };
  if (body.campaign !== undefined) event.campaign = body.campaign;
  if (body.target !== undefined) event.target = body.target;
  if (body.match) event.match = body.match;
  return { kind: 'events', events: [event] };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, prefix?: string): string {
  if (!issue) return 'invalid event';
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const allowed = path === 'match' ? 'branch, commit, repo' : 'type, campaign, target, match, data, cause';
    return `${path ? `${path}: ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; allowed: ${allowed}`;
  }
  return `${path || 'event'}: ${issue.message}`;
}
