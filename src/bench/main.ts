import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchCompliance, type ComplianceBenchResult } from '../compliance/bench.js';
import { benchJudge, type BenchResult as JudgeBenchResult } from '../judge/index.js';
import { benchEngine, benchRaw, type EngineBenchResult } from './engine-bench.js';
import { benchWaits, type WaitBenchResult } from './wait-bench.js';

/**
 * `npm run bench`: each benchmark runs in its own process, so peak memory is its own. Figures are printed
 * as a table and as JSON (the last line) for the notes.
 */
const TARGETS = Number(process.env.BENCH_TARGETS ?? 10_000);
const STEPS = 5;

async function child(mode: string): Promise<void> {
  let result: unknown;
  if (mode === 'engine') result = await benchEngine(TARGETS, STEPS, 2);
  else if (mode === 'raw') result = benchRaw(TARGETS, STEPS);
  else if (mode === 'waits') result = await benchWaits(TARGETS);
  else if (mode === 'compliance') result = { ...benchCompliance(), peakRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 };
  else if (mode === 'judge') result = { ...benchJudge(), peakRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 };
  else throw new Error(`unknown benchmark ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(mode: string): unknown {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), mode], { encoding: 'utf8', env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as unknown;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  if (mode) return child(mode);
  process.stdout.write(`Engine overhead: ${TARGETS} targets × ${STEPS} no-op steps (embedded engine, SQLite)\n`);
  const engine = runChild('engine') as EngineBenchResult;
  const raw = runChild('raw') as EngineBenchResult;
  for (const result of [engine, raw]) {
    process.stdout.write(`  ${result.mode.padEnd(6)} ${String(result.wallMs).padStart(7)} ms  ${String(result.transitionsPerSecond).padStart(7)} transitions/s  peak RSS ${result.peakRssMB} MB\n`);
  }
  process.stdout.write(`  ratio (engine / raw wall time): ${(engine.wallMs / raw.wallMs).toFixed(2)}×\n`);
  process.stdout.write(`Parked runs: ${TARGETS} runs waiting at an approval, then one event each\n`);
  const waits = runChild('waits') as WaitBenchResult;
  process.stdout.write(`  parked in ${waits.parkMs} ms; while waiting: heap ${waits.heapWhileWaitingMB} MB, RSS ${waits.rssWhileWaitingMB} MB, idle CPU ${waits.idleCpuMsPerSecond} ms/s\n`);
  process.stdout.write(`  woke all in ${waits.wakeAllMs} ms (${waits.wakePerSecond} runs/s)  peak RSS ${waits.peakRssMB} MB\n`);
  process.stdout.write('Compliance checks: a 5,000-file, 200,000-line diff, every check and two CEL rules (300 dependency changes, 1,000 advisories)\n');
  const compliance = runChild('compliance') as ComplianceBenchResult & { peakRssMB: number };
  process.stdout.write(`  ${compliance.wallMs} ms in all (parse ${compliance.parseMs} ms, checks ${compliance.checksMs} ms)  RSS ${compliance.rssMB} MB, heap ${compliance.heapUsedMB} MB, peak RSS ${compliance.peakRssMB} MB\n`);
  process.stdout.write('Canary judge: 1,000 metrics × 1,000 points a side, judged in one call\n');
  const judge = runChild('judge') as JudgeBenchResult & { peakRssMB: number };
  process.stdout.write(`  ${judge.wallMs} ms (CPU ${judge.cpuMs} ms)  heap ${judge.heapUsedMB} MB, RSS ${judge.rssMB} MB, peak RSS ${judge.peakRssMB} MB  verdict ${judge.verdict}\n`);
  process.stdout.write(`${JSON.stringify({ engine, raw, ratio: engine.wallMs / raw.wallMs, waits, compliance, judge })}\n`);
}

await main();
