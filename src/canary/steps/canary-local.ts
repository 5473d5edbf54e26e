import { z } from 'zod';
import { kayentaConfigSchema } from '../../judge/index.js';
import { parseDuration } from '../../model/duration.js';
import { defineStep, failRun, needsHuman } from '../../sdk/step.js';
import { atMostOne, canaryConfigShape, loadCanaryConfig } from '../canary-config-input.js';
import { canaryOutcome, judgementOutputShape, recordJudgement, summariseJudgement } from '../canary-verdict.js';
import { addBaselineWorktree, removeBaselineWorktree } from '../local/baseline-worktree.js';
import { runLocalCanary, type LocalCanaryPlan } from '../local/local-canary.js';
import { DEFAULT_LOCAL_CONFIG } from '../local/local-metrics.js';

const ms = (text: string): number => parseDuration(text) ?? 0;
const duration = z.string().refine((value) => parseDuration(value) !== undefined, { message: 'must be a duration such as 500ms, 5s or 1m' });
/** A bound on what one step can spend under load, so a typo in `bake` cannot load a machine for a day. */
const MAX_LOAD_MS = 60 * 60_000;

const input = z
  .strictObject({
    start: z.string().min(1).describe('starts one build; it must serve HTTP on $PORT (127.0.0.1)'),
    build: z.string().min(1).optional().describe('run in each tree before it starts, e.g. `npm ci && npm run build`'),
    path: z.string().startsWith('/').default('/').describe('the path the load requests'),
    env: z.record(z.string(), z.string()).optional().describe('extra environment for the build and the service'),
    warmup: duration.default('5s').describe('load before anything is measured (JIT, caches, connection pools)'),
    bake: duration.default('30s').describe('measured load time, cut into `intervals`'),
    intervals: z.number().int().min(1).max(60).default(3).describe('judgements over the bake time; stops at the first marginal or failing one'),
    connections: z.number().int().min(1).max(256).default(10).describe('concurrent connections per build'),
    rate: z.number().int().min(1).max(100_000).optional().describe('requests per second per build; default: as fast as each build answers'),
    requestTimeout: duration.default('2s').describe('a request unanswered after this long is an error'),
    startTimeout: duration.default('30s').describe('how long each build may take to answer its first request'),
    sampleEvery: duration.default('100ms').describe('one latency and error-rate point per this much time'),
    ...canaryConfigShape,
  })
  .superRefine((value, context) => {
    atMostOne(value, ['config', 'configFile'], context);
    if (ms(value.warmup) + ms(value.bake) > MAX_LOAD_MS) context.addIssue({ code: 'custom', message: 'warmup + bake must not exceed 1h', path: ['bake'] });
    if (ms(value.sampleEvery) < 10) context.addIssue({ code: 'custom', message: 'sampleEvery must be at least 10ms', path: ['sampleEvery'] });
    if (ms(value.bake) / value.intervals < 5 * ms(value.sampleEvery)) {
      context.addIssue({ code: 'custom', message: 'each interval (bake / intervals) must hold at least 5 samples (sampleEvery)', path: ['intervals'] });
    }
  });

const counts = z.strictObject({ requests: z.number().int(), ok: z.number().int(), failed: z.number().int(), errors: z.number().int() });
const output = z.strictObject({
  ...judgementOutputShape,
  intervals: z.array(z.strictObject({ interval: z.number().int(), bakedMs: z.number(), score: z.number(), verdict: z.enum(['pass', 'marginal', 'fail']), inconclusive: z.boolean() })),
  stoppedEarly: z.boolean(),
  load: z.strictObject({ baseline: counts, canary: counts }),
});

const DEFAULT_CONFIG = kayentaConfigSchema.parse(DEFAULT_LOCAL_CONFIG);

/**
 * A canary without a deployment: the unchanged build (the base commit, in a second worktree) and the
 * changed build (the workspace) run side by side on loopback under the same HTTP load, and the judge
 * compares their latency, error rate and memory. See src/canary/README.md for how it works.
 */
export const canaryLocal = defineStep({
  id: 'canary/local',
  description: 'Runs the baseline and the changed build side by side on loopback under the same load and judges latency, errors and memory.',
  kind: 'validate',
  workspace: true,
  input,
  output,
  examples: [
    { title: 'A Node service, with the built-in metrics', with: { build: 'npm ci', start: 'node server.js', path: '/health', warmup: '5s', bake: '30s', intervals: 3 } },
    {
      title: 'Only the median latency, critical above +30%',
      with: {
        start: 'npm start',
        path: '/api/orders?limit=10',
        config: { metrics: [{ name: 'latency_p50', analysisConfigurations: { canary: { direction: 'increase', critical: true, effectSize: { allowedIncrease: 1.1, criticalIncrease: 1.3 } } } }] },
      },
    },
  ],
  async run(args, ctx) {
    const { config, thresholds } = await loadCanaryConfig(args, DEFAULT_CONFIG);
    const plan: LocalCanaryPlan = {
      start: args.start,
      build: args.build,
      path: args.path,
      env: args.env ?? {},
      warmupMs: ms(args.warmup),
      bakeMs: ms(args.bake),
      intervals: args.intervals,
      connections: args.connections,
      rate: args.rate,
      requestTimeoutMs: ms(args.requestTimeout),
      startTimeoutMs: ms(args.startTimeout),
      bucketMs: ms(args.sampleEvery),
    };
    const baseline = await addBaselineWorktree(ctx.workspace, ctx.baseCommit, ctx.signal);
    ctx.log.info('baseline worktree ready', { commit: ctx.baseCommit });
    let result;
    try {
      result = await runLocalCanary(plan, { baseline, canary: ctx.workspace }, config, thresholds, ctx);
    } finally {
      await removeBaselineWorktree(ctx.workspace);
    }
    const details = { source: 'local', intervals: result.intervals, load: result.load };
    if (result.kind === 'judged') {
      recordJudgement(ctx, result.judgement, thresholds, { ...details, stoppedEarly: result.stoppedEarly });
      const summary = { ...summariseJudgement(result.judgement), intervals: result.intervals, stoppedEarly: result.stoppedEarly, load: result.load };
      return canaryOutcome(result.judgement, thresholds, summary);
    }
    const inconclusive = result.kind === 'baseline-unusable';
    const summary = { verdict: 'fail' as const, inconclusive, score: 0, metrics: [], intervals: result.intervals, stoppedEarly: true, load: result.load };
    ctx.log.output(`${result.reason}\n`);
    ctx.emit('canary.judgement', { verdict: 'fail', score: 0, inconclusive, thresholds, reasons: [result.reason], metrics: [], ...details });
    return inconclusive ? needsHuman([`canary inconclusive: ${result.reason}`], summary) : failRun([`canary failed: ${result.reason}`], summary);
  },
});
