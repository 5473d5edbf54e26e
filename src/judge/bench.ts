/**
 * Benchmark of the judge: 1,000 metrics of 1,000 points per side, judged in one call.
 *
 * Why this size: a large service's canary compares a few hundred metrics at one point per second over
 * ten to twenty minutes; this is comfortably above that. The samples are generated (a fixed-seed
 * generator, so every run judges the same numbers) before the clock starts; half the metrics are
 * continuous, half are rounded to integers (ties, as counters produce), and a third are shifted so the
 * classifier has real work. Reading the clock and the memory is the one impure part, and it lives here,
 * not in the judge.
 */
import { defineMetric, type CanaryConfig } from './canary-config.js';
import { judgeCanary, type CanaryData, type CanaryJudgement } from './judge-canary.js';

export interface BenchResult {
  /** Time to judge all metrics, in milliseconds. */
  wallMs: number;
  /** CPU time (user + system) the process spent meanwhile; close to wallMs on an idle machine. */
  cpuMs: number;
  /** V8 heap in use right after judging, in MB. */
  heapUsedMB: number;
  /** Resident set size of the process right after judging, in MB. */
  rssMB: number;
  metrics: number;
  pointsPerSide: number;
  verdict: CanaryJudgement['verdict'];
}

export interface BenchOptions {
  metrics?: number;
  pointsPerSide?: number;
}

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The benchmark's input: deterministic, built outside the timed section. */
export function benchInput(metricCount: number, pointsPerSide: number): { config: CanaryConfig; data: CanaryData } {
  const random = generator(20_251_104);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const metrics = [];
  const data: CanaryData = { metrics: {} };
  for (let m = 0; m < metricCount; m++) {
    const name = `metric_${m}`;
    const rounded = m % 2 === 1;
    const shift = m % 3 === 0 ? 1.5 : 0;
    const side = (offset: number): number[] =>
      Array.from({ length: pointsPerSide }, () => {
        const value = 100 + offset + 10 * normal();
        return rounded ? Math.round(value) : value;
      });
    metrics.push(defineMetric(name, { groups: [`group_${m % 5}`], direction: m % 4 === 0 ? 'increase' : 'either' }));
    data.metrics[name] = { control: side(0), experiment: side(shift) };
  }
  return { config: { metrics, groupWeights: {}, scoreThresholds: { pass: 95, marginal: 75 } }, data };
}

/** Judges 1,000 metrics of 1,000 points per side (by default) and reports time and memory. */
export function benchJudge(options: BenchOptions = {}): BenchResult {
  const metricCount = options.metrics ?? 1000;
  const pointsPerSide = options.pointsPerSide ?? 1000;
  const { config, data } = benchInput(metricCount, pointsPerSide);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const judgement = judgeCanary(config, data);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const memory = process.memoryUsage();
  const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return {
    wallMs: Math.round(wallMs * 10) / 10,
    cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
    heapUsedMB: mb(memory.heapUsed),
    rssMB: mb(memory.rss),
    metrics: metricCount,
    pointsPerSide,
    verdict: judgement.verdict,
  };
}
