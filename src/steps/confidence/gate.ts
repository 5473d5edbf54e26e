import { z } from 'zod';
import { DECISION_EVENT, decideConfidence, type Decision } from '../../confidence/decision.js';
import type { Evidence } from '../../confidence/evidence.js';
import type { ConfidenceHistory } from '../../confidence/history.js';
import { SIGNAL_IDS } from '../../confidence/signal.js';
import { DEFAULT_WEIGHTS, withWeights } from '../../confidence/weights.js';
import { checkTime } from '../../compliance/policy-files.js';
import { defineStep, failRun, needsHuman, type StepContext } from '../../sdk/step.js';
import { gatherEvidence, type GatheredEvidence } from './gather-evidence.js';
import { confidenceHistory } from './history-registry.js';

const probability = z.number().min(0).max(1);
const stepIds = z.array(z.string().min(1)).optional();

const input = z
  .strictObject({
    /** At or above this probability the path goes on (to open and merge the change). */
    autoMerge: probability.default(0.9).describe('at or above this probability the path goes on to open and merge the change'),
    /** At or above this (and below autoMerge) a person decides; below it the run halts (fails). */
    needsHuman: probability.default(0.6).describe('at or above this (and below autoMerge) a person decides; below it the run fails'),
    /** When the new version was published (ISO 8601), for the release-age signal, e.g. from the registry. */
    releasedAt: z.iso.datetime({ offset: true }).optional().describe('when the new version was published (ISO 8601), for the release-age signal'),
    /** Replaces default weights (log-odds per unit of a signal's value), e.g. `{ canary: 3 }`. */
    weights: z.partialRecord(z.enum([...SIGNAL_IDS, 'bias']), z.number()).optional().describe('replaces default weights (log-odds per unit of a signal), e.g. {canary: 3}; turns learned weights off'),
    /** Use weights fitted on recorded outcomes when there are enough (50 or more). */
    learned: z.boolean().default(true).describe('use weights fitted on recorded outcomes when there are 50 or more'),
    /** The step ids to read each kind of evidence from; default: every earlier step whose output has its shape. */
    from: z.strictObject({ tests: stepIds, compliance: stepIds, canary: stepIds, change: stepIds }).optional().describe('step ids to read each kind of evidence from; default: every earlier step whose output has its shape'),
  })
  .refine((value) => value.needsHuman <= value.autoMerge, { message: 'needsHuman must not be above autoMerge', path: ['needsHuman'] });

const contribution = z.strictObject({
  id: z.enum(SIGNAL_IDS),
  available: z.boolean(),
  value: z.number(),
  weight: z.number(),
  contribution: z.number(),
  share: z.number(),
  explanation: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const output = z.strictObject({
  at: z.string().describe('the time of the decision'),
  probability: z.number().describe('the probability the change is safe on this target'),
  logOdds: z.number().describe('bias + the sum of the contributions'),
  level: z.enum(['very-high', 'high', 'neutral', 'low']).describe('very-high >= 0.95, high >= 0.85, neutral >= 0.6, else low'),
  action: z.enum(['auto-merge', 'needs-human', 'halt']).describe('what the gate did: went on, asked a person, or failed the run'),
  reasons: z.array(z.string()).describe('why: the gates, or the confidence and the weak signals, weightiest first'),
  policy: z.strictObject({ autoMerge: z.number(), needsHuman: z.number() }).describe('the thresholds applied'),
  model: z.strictObject({ source: z.enum(['default', 'learned']), outcomes: z.number().int() }).describe('default weights, or weights learned from this many recorded outcomes'),
  bias: z.number().describe('the log-odds with no evidence at all'),
  signals: z.array(contribution).describe("every signal's value, weight, contribution (log-odds) and share, with its explanation"),
  gates: z.array(z.strictObject({ signal: z.enum(SIGNAL_IDS), action: z.enum(['halt', 'needs-human']), reason: z.string() })).describe('hard gates: tests the change breaks, a failed canary, a blocking finding'),
  sources: z.record(z.string(), z.array(z.string())).describe('which earlier steps each kind of evidence was read from'),
});

/**
 * Decides whether the change lands without a person. It gathers the evidence earlier steps left (tests,
 * compliance, canaries, the bump), asks the process's confidence history — if one was provided — how the
 * campaign went on earlier targets, how this target took earlier changes and who already runs the new
 * version, and combines every signal into a probability (`src/confidence`). At or above `autoMerge` the
 * path goes on; between the thresholds the run needs a human, with the weak signals named, weightiest
 * first; below `needsHuman`, or when a hard gate holds (tests the change breaks, a failed canary), the run
 * fails. The whole decision — every signal's value, weight and part — is the output and a
 * `confidence.decision` event, which `flotilla explain` shows and learning reads back.
 */
export const confidenceGate = defineStep({
  id: 'confidence/gate',
  description: 'Combines the evidence of earlier steps and the campaign so far into a confidence score: auto-merge above the threshold, a person in between (naming the weak signals), halt below.',
  kind: 'control',
  workspace: false,
  input,
  output,
  examples: [
    { title: 'The default policy (auto-merge at 0.9, a person from 0.6)', with: {} },
    { title: 'A cautious campaign that trusts its canary more', with: { autoMerge: 0.97, needsHuman: 0.7, weights: { canary: 3 }, releasedAt: '2025-06-01T00:00:00Z' } },
  ],
  async run(params, ctx) {
    const gathered = gatherEvidence(ctx.steps, params.from ?? {});
    const history = confidenceHistory();
    const evidence = await withHistory(history, gathered, params.releasedAt, ctx);
    const prior = withWeights(DEFAULT_WEIGHTS, params.weights ?? {});
    const learned = params.learned && params.weights === undefined ? await ask(ctx, 'learned weights', () => history?.learned?.(prior)) : undefined;
    const decision: Decision = decideConfidence(evidence, {
      weights: learned?.weights ?? prior,
      policy: { autoMerge: params.autoMerge, needsHuman: params.needsHuman },
      model: learned ? { source: 'learned', outcomes: learned.outcomes } : { source: 'default', outcomes: 0 },
    });
    const result = { ...decision, sources: gathered.from };
    ctx.emit(DECISION_EVENT, result);
    ctx.log.info(`confidence ${decision.probability} (${decision.level}): ${decision.action}`, { logOdds: decision.logOdds, model: decision.model.source });
    for (const reason of decision.reasons) ctx.log.info(reason);
    if (decision.action === 'auto-merge') return result;
    if (decision.action === 'needs-human') return needsHuman(decision.reasons, result);
    return failRun(decision.reasons, result);
  },
});

/** The run's own evidence plus what the history knows. */
async function withHistory(history: ConfidenceHistory | undefined, gathered: GatheredEvidence, releasedAt: string | undefined, ctx: StepContext): Promise<Evidence> {
  const { from: _from, ...own } = gathered;
  const evidence: Evidence = { ...own, now: checkTime(ctx.env), tier: ctx.target.spec.tier };
  const bump = gathered.change?.bumps[0];
  if (releasedAt !== undefined && bump) evidence.release = { package: bump.package, version: bump.to, releasedAt };
  if (!history) return evidence;
  const campaign = ctx.campaign.name;
  const record = await ask(ctx, 'campaign record', () => history.campaignRecord?.(campaign, ctx.runId));
  const target = await ask(ctx, 'target history', () => history.targetHistory?.(ctx.target.spec.name, campaign));
  const adoption = bump ? await ask(ctx, 'fleet adoption', () => history.fleetAdoption?.(campaign, bump.package, bump.to)) : undefined;
  if (record) evidence.campaignRecord = record;
  if (target) evidence.targetHistory = target;
  if (adoption) evidence.adoption = adoption;
  return evidence;
}

/** One question to the history; an answer it cannot give is logged and left out, never fatal to the gate. */
async function ask<T>(ctx: StepContext, what: string, question: () => Promise<T | undefined> | undefined): Promise<T | undefined> {
  try {
    return await question();
  } catch (error) {
    ctx.log.warn('the confidence history could not answer', { what, error: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
}
