import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = z.string().refine((value) => parseDuration(value) !== undefined, {
  message: 'must be a duration such as 30s, 10m, 1h or 1h30m',
});

export const retrySchema = z.strictObject({
  /** How many times the step may run in all (1 = no retry). */
  attempts: z.number().int().min(1).max(20),
  /** Wait before the first retry; doubles on each further retry. Default 1s. */
  backoff: duration.optional(),
});

export const stepSpecSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must start with a letter and use only a-z, 0-9, - and _'),
  /** The step to run, by id (`npm/bump-dependency`, `run`, …). */
  uses: z.string().min(1),
  name: z.string().optional(),
  with: z.record(z.string(), z.unknown()).default({}),
  /** A CEL condition over `steps`, `target` and `campaign`; the step is skipped when false. */
  if: z.string().min(1).optional(),
  timeout: duration.optional(),
  retry: retrySchema.optional(),
  /** Steps that must finish first; default: the step before it in the list. `[]` starts at once. */
  needs: z.array(z.string().min(1)).optional(),
  /** `<event type> [where <CEL over event>]`: the step starts when that event arrives for the run. */
  on: z.string().min(1).optional(),
  /** `fail` (default), `needs-human`, `continue`, or the id of a clean-up step to run before failing. */
  'on-failure': z.string().min(1).optional(),
  /** What a waiting step does when its deadline passes (overrides the step's default). */
  'on-timeout': z.enum(['fail', 'needs-human', 'continue']).optional(),
});

/** A ready-made path (a preset: `flotilla paths` lists them) and its parameters. */
export const pathSpecSchema = z.strictObject({
  /** The preset's id, such as `npm-dependency-bump`. */
  uses: z.string().min(1),
  /** The preset's parameters. */
  with: z.record(z.string(), z.unknown()).default({}),
});

export const campaignSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/, 'must use only a-z, 0-9 and -').max(100),
  description: z.string().optional(),
  /** A CEL expression over target facts; omitted = every target. */
  targets: z.string().min(1).optional(),
  steps: z.array(stepSpecSchema).min(1, 'a campaign needs at least one step'),
  /**
   * A preset instead of listing steps; `steps:` then changes the preset's steps by id. The loader
   * expands it before this schema runs, so `steps` always holds the whole path.
   */
  path: pathSpecSchema.optional(),
  /**
   * Step modules for this campaign: paths or globs relative to the campaign file (`./steps/*.ts`), or
   * npm package names. Their steps join the built-in ones for this campaign only.
   */
  load: z.array(z.string().min(1)).optional(),
  /**
   * The compliance policy (a policy.yaml, relative to the campaign file) that `compliance/check` steps
   * use unless they name their own; loaded and checked with the campaign.
   */
  policy: z.string().min(1).optional(),
  /** Progressive rollout: waves of targets, least risky first, and a circuit breaker. */
  rollout: z
    .strictObject({
      /** Cumulative wave sizes: a count of targets or a share of them (`[1, 5, "25%", "100%"]`). */
      waves: z
        .array(z.union([z.number().int().min(1), z.string().regex(/^\d{1,3}(\.\d+)?%$/, 'must be a count such as 5 or a share such as "25%"')]))
        .min(1)
        .optional(),
      /** `risk` (default): least risky first (lower tier criticality, tests); `fleet`: the fleet file's order. */
      order: z.enum(['risk', 'fleet']).default('risk'),
      /** The next wave starts only when the lower bound of this wave's success rate reaches `successRate`. */
      gate: z.strictObject({ successRate: z.number().min(0).max(1).default(0.2) }).optional(),
      /** Halts the campaign when the share of failed runs reaches `failureRate` after at least `minRuns` runs. */
      halt: z.strictObject({ failureRate: z.number().gt(0).max(1), minRuns: z.number().int().min(1).default(5) }).optional(),
    })
    .optional(),
  /** Kill-switch limits: runs in progress at once, and changes opened per hour. */
  limits: z
    .strictObject({
      inFlight: z.number().int().min(1).optional(),
      changesPerHour: z.number().int().min(1).optional(),
    })
    .optional(),
  /** What `flotilla cancel` does besides ending the runs. */
  cancel: z.strictObject({ closeChanges: z.boolean().default(true) }).optional(),
  /** What the change looks like where it is published. */
  change: z
    .strictObject({
      title: z.string().min(1).optional(),
      body: z.string().optional(),
      /** `target` (default): a change per target; `repository`: one change for the targets (projects) of a repository. */
      per: z.enum(['target', 'repository']).default('target'),
    })
    .optional(),
});

export type RetrySpec = z.infer<typeof retrySchema>;
export type StepSpec = z.infer<typeof stepSpecSchema>;
export type CampaignSpec = z.infer<typeof campaignSchema>;
export type PathSpec = z.infer<typeof pathSpecSchema>;

/** The default timeout of a step that declares none. */
export const DEFAULT_STEP_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_RETRY_BACKOFF_MS = 1000;
