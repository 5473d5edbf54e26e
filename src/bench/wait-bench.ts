import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTarget, noopStep as noop } from './noop-step.js';
import { CampaignRunner } from '../engine/campaign-runner.js';
import type { EngineCampaign, EngineStep } from '../engine/engine-campaign.js';
import { approvalStep } from '../steps/control/approval.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { ScmAdapter } from '../adapters/scm/scm.js';

/**
 * Parked runs: N runs wait at an approval. Measures what a process holding them costs (heap and RSS once
 * loaded, idle CPU) and the time to wake every one with one event each and finish its path.
 */
export interface WaitBenchResult {
  runs: number;
  parkMs: number;
  heapWhileWaitingMB: number;
  rssWhileWaitingMB: number;
  idleCpuMsPerSecond: number;
  wakeAllMs: number;
  wakePerSecond: number;
  peakRssMB: number;
}


function step(id: string, definition: typeof noop | typeof approvalStep): EngineStep {
  return { id, uses: definition.id, definition, with: {}, timeoutMs: 60_000, attempts: 1, backoffMs: 1000 };
}

export async function benchWaits(count: number): Promise<WaitBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-wait-'));
  const store = new SqliteStore(join(dir, 'flotilla.db'));
  const campaign: EngineCampaign = { name: 'parked', hash: 'h', file: 'f', spec: {}, change: { title: 't', body: '' }, steps: [step('approve', approvalStep), step('after', noop)] };
  const targets = Array.from({ length: count }, (_, index) => benchTarget(`t${index}`));
  const options = { store, stateDir: dir, concurrency: 2, scmFor: () => ({}) as ScmAdapter, interpolate: (value: Record<string, unknown>) => value, env: {}, pollMs: 200 };
  const parkStart = performance.now();
  await new CampaignRunner(campaign, options).run(targets);
  const parkMs = performance.now() - parkStart;

  // A long-lived process holding every parked run: measure it idle, then wake them all.
  let done = 0;
  const runner = new CampaignRunner(campaign, { ...options, mode: 'until-done', onEvent: (event) => void (event.type === 'run.completed' && done++) });
  const finished = runner.run([]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  global.gc?.();
  const memory = process.memoryUsage();
  const cpuBefore = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const cpu = process.cpuUsage(cpuBefore);
  const at = new Date().toISOString();
  const wakeStart = performance.now();
  for (let index = 0; index < count; index++) {
    await store.enqueueSignal({ campaign: 'parked', runId: `parked:t${index}`, name: 'approval.granted', data: { by: 'bench' }, cause: 'bench', at });
  }
  await finished;
  const wakeAllMs = performance.now() - wakeStart;
  if (done !== count) throw new Error(`only ${done} of ${count} runs finished`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    runs: count,
    parkMs: Math.round(parkMs),
    heapWhileWaitingMB: Math.round(memory.heapUsed / 1024 / 1024),
    rssWhileWaitingMB: Math.round(memory.rss / 1024 / 1024),
    idleCpuMsPerSecond: Math.round((cpu.user + cpu.system) / 1000 / 2),
    wakeAllMs: Math.round(wakeAllMs),
    wakePerSecond: Math.round(count / (wakeAllMs / 1000)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
