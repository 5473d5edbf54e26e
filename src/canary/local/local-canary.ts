import { setTimeout as sleep } from 'node:timers/promises';
import { judgeCanary, type CanaryConfig, type CanaryJudgement, type ScoreThresholds } from '../../judge/index.js';
import { execShell } from '../../process/exec.js';
import type { StepLogger } from '../../sdk/step.js';
import { failureSummary } from '../../steps/run/run.js';
import { freePort } from './free-port.js';
import { LoadRecorder } from './load-recorder.js';
import { countsOf, localCanaryData, type SideCounts, type SideRecording } from './local-metrics.js';
import { MemorySampler } from './memory-sampler.js';
import { ServiceProcess } from './service-process.js';
import { waitForHttp } from './wait-for-http.js';

export interface LocalCanaryPlan {
  /** Starts one build; it must listen on `$PORT` on 127.0.0.1. */
  start: string;
  /** Run in each tree before it starts (`npm ci && npm run build`). */
  build?: string | undefined;
  /** The path the load hits, starting with `/`. */
  path: string;
  env: Readonly<Record<string, string>>;
  warmupMs: number;
  bakeMs: number;
  intervals: number;
  connections: number;
  /** Requests per second per build; undefined: as fast as each build answers. */
  rate?: number | undefined;
  requestTimeoutMs: number;
  startTimeoutMs: number;
  /** One latency and error-rate point per this many milliseconds. */
  bucketMs: number;
}

export interface LocalCanaryContext {
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  log: StepLogger;
}

export type Side = 'baseline' | 'canary';
export type LoadCounts = Record<Side, SideCounts>;

export interface IntervalJudgement {
  interval: number;
  /** Milliseconds of bake time judged (from the end of the warm-up). */
  bakedMs: number;
  score: number;
  verdict: CanaryJudgement['verdict'];
  inconclusive: boolean;
}

/**
 * How a local canary ended: judged (the judgement of the last interval judged), or decided before the
 * judge could compare anything — the baseline could not serve (`baseline-unusable`: nothing to compare
 * with, so inconclusive) or only the changed build could not (`change-broken`: the change's fault).
 */
export type LocalCanaryResult =
  | { kind: 'judged'; judgement: CanaryJudgement; intervals: IntervalJudgement[]; stoppedEarly: boolean; load: LoadCounts }
  | { kind: 'baseline-unusable' | 'change-broken'; reason: string; intervals: IntervalJudgement[]; load: LoadCounts };

const SIDES: readonly Side[] = ['baseline', 'canary'];
const NAMES: Record<Side, string> = { baseline: 'the baseline', canary: 'the changed build' };
const NO_LOAD: LoadCounts = { baseline: { requests: 0, ok: 0, failed: 0, errors: 0 }, canary: { requests: 0, ok: 0, failed: 0, errors: 0 } };

function describeCounts(counts: SideCounts): string {
  return `${counts.requests} requests: ${counts.ok} ok, ${counts.failed} answered 4xx/5xx, ${counts.errors} unanswered`;
}

/**
 * Runs the baseline and the changed build side by side on loopback and judges them under the same load.
 *
 * Build each tree (if asked), start both on free ports, wait until each answers, then drive both at once
 * with the same autocannon load. After the warm-up, the bake time is cut into `intervals`; at the end of
 * each, everything since the warm-up is judged (Kayenta's cumulative multi-interval analysis), and the
 * canary stops early as soon as a conclusive judgement is marginal or worse. Both process groups are
 * always ended, whatever happens.
 */
export async function runLocalCanary(plan: LocalCanaryPlan, trees: Record<Side, string>, config: CanaryConfig, thresholds: ScoreThresholds, ctx: LocalCanaryContext): Promise<LocalCanaryResult> {
  const { signal, log } = ctx;
  const stopped = (side: Side, reason: string, intervals: IntervalJudgement[] = [], load: LoadCounts = NO_LOAD): LocalCanaryResult => ({
    kind: side === 'baseline' ? 'baseline-unusable' : 'change-broken',
    reason: `${NAMES[side]} ${reason}`,
    intervals,
    load,
  });

  if (plan.build !== undefined) {
    for (const side of SIDES) {
      log.info('building', { side, command: plan.build });
      const result = await execShell(plan.build, { cwd: trees[side], env: { ...ctx.env, ...plan.env }, signal, onOutput: (text) => log.output(text) });
      if (result.exitCode !== 0) return stopped(side, `does not build: \`${plan.build}\` exited with code ${result.exitCode}: ${failureSummary(`${result.stdout}\n${result.stderr}`)}`);
    }
  }

  const services: Partial<Record<Side, ServiceProcess>> = {};
  let forwardOutput = true; // service output goes to the step log until the load starts; then only its tail is kept
  try {
    const urls: Partial<Record<Side, string>> = {};
    for (const side of SIDES) {
      const port = await freePort();
      urls[side] = `http://127.0.0.1:${port}${plan.path}`;
      const env = { ...ctx.env, ...plan.env, PORT: String(port), HOST: '127.0.0.1' };
      services[side] = await ServiceProcess.start({
        command: plan.start,
        cwd: trees[side],
        env,
        signal,
        onOutput: (text) => {
          if (forwardOutput) log.output(text.replace(/^(?=.)/gm, `[${side}] `));
        },
      });
      log.info('started', { side, pid: services[side].pid, port });
    }
    const service = (side: Side): ServiceProcess => services[side] as ServiceProcess;
    const url = (side: Side): string => urls[side] ?? '';
    const readiness = await Promise.all(SIDES.map((side) => waitForHttp(url(side), service(side), plan.startTimeoutMs, signal)));
    for (const [index, side] of SIDES.entries()) {
      const ready = readiness[index];
      if (ready && !ready.ready) return stopped(side, ready.reason);
    }
    log.info('both builds answer; driving load', { connections: plan.connections, warmupMs: plan.warmupMs, bakeMs: plan.bakeMs, intervals: plan.intervals });
    forwardOutput = false;

    const maxDurationMs = plan.warmupMs + plan.bakeMs + 10_000;
    const recorders = { baseline: new LoadRecorder({ url: url('baseline'), connections: plan.connections, rate: plan.rate, requestTimeoutMs: plan.requestTimeoutMs, maxDurationMs }), canary: new LoadRecorder({ url: url('canary'), connections: plan.connections, rate: plan.rate, requestTimeoutMs: plan.requestTimeoutMs, maxDurationMs }) };
    const samplers = { baseline: new MemorySampler(service('baseline'), Math.max(250, plan.bucketMs)), canary: new MemorySampler(service('canary'), Math.max(250, plan.bucketMs)) };
    const recording = (side: Side): SideRecording => ({ responses: recorders[side].responses, errors: recorders[side].errors, memory: samplers[side].samples });
    const intervals: IntervalJudgement[] = [];
    try {
      await sleep(plan.warmupMs, undefined, { signal });
      const from = performance.now();
      const intervalMs = plan.bakeMs / plan.intervals;
      let judgement: CanaryJudgement | undefined;
      let load = NO_LOAD;
      for (let interval = 1; interval <= plan.intervals; interval++) {
        await sleep(Math.max(0, from + interval * intervalMs - performance.now()), undefined, { signal });
        const to = performance.now();
        load = { baseline: countsOf(recording('baseline'), from, to), canary: countsOf(recording('canary'), from, to) };
        for (const side of SIDES) {
          const exit = service(side).exitStatus;
          if (exit) return stopped(side, `exited during the canary (code ${exit.code ?? '?'}${exit.signal ? `, ${exit.signal}` : ''}): ${service(side).recentOutput()}`, intervals, load);
          if (load[side].ok === 0) return stopped(side, `answered no request successfully (${describeCounts(load[side])})`, intervals, load);
        }
        judgement = judgeCanary(config, localCanaryData(recording('baseline'), recording('canary'), from, to, plan.bucketMs), { scoreThresholds: thresholds });
        intervals.push({ interval, bakedMs: Math.round(to - from), score: judgement.score, verdict: judgement.verdict, inconclusive: judgement.inconclusive });
        log.info(`interval ${interval}/${plan.intervals}: ${judgement.inconclusive ? 'inconclusive' : judgement.verdict}, score ${judgement.score}`, { baseline: load.baseline, canary: load.canary });
        if (!judgement.inconclusive && judgement.verdict !== 'pass') break;
      }
      if (!judgement) throw new Error('a local canary needs at least one interval');
      return { kind: 'judged', judgement, intervals, stoppedEarly: intervals.length < plan.intervals, load };
    } finally {
      samplers.baseline.stop();
      samplers.canary.stop();
      await Promise.all([recorders.baseline.stop(), recorders.canary.stop()]);
    }
  } finally {
    await Promise.all(Object.values(services).map((service) => service.stop()));
  }
}
