import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTarget, noopStep as noop } from './noop-step.js';
import { CampaignRunner } from '../engine/campaign-runner.js';
import type { EngineCampaign, EngineStep } from '../engine/engine-campaign.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { SQLITE_MIGRATIONS } from '../store/sqlite/migrations.js';
import type { ScmAdapter } from '../adapters/scm/scm.js';
import type { RunState } from '../model/run.js';

/**
 * The embedded engine's own overhead: N targets × S no-op steps through the real runner and the real
 * SQLite store, against a raw loop that writes the same transitions (an event row and a run snapshot per
 * transition, one transaction each) with prepared statements and nothing else.
 */
export interface EngineBenchResult {
  mode: 'engine' | 'raw';
  targets: number;
  steps: number;
  transitions: number;
  wallMs: number;
  transitionsPerSecond: number;
  peakRssMB: number;
}


const noScm = {} as ScmAdapter;


export async function benchEngine(targets: number, steps: number, concurrency: number): Promise<EngineBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-'));
  const store = new SqliteStore(join(dir, 'flotilla.db'));
  const path: EngineStep[] = Array.from({ length: steps }, (_, index) => ({ id: `s${index}`, uses: noop.id, definition: noop, with: {}, timeoutMs: 60_000, attempts: 1, backoffMs: 1000 }));
  const campaign: EngineCampaign = { name: 'bench', hash: 'bench', file: 'bench', spec: {}, change: { title: 'bench', body: '' }, steps: path };
  const fleet = Array.from({ length: targets }, (_, index) => benchTarget(`t${index}`));
  const runner = new CampaignRunner(campaign, { store, stateDir: dir, concurrency, scmFor: () => noScm, interpolate: (value) => value, env: {} });
  const started = performance.now();
  const runs = await runner.run(fleet);
  const wallMs = performance.now() - started;
  if (runs.some((run) => run.outcome !== 'changed')) throw new Error('a benchmark run did not complete');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const transitions = targets * (2 + 2 * steps);
  return { mode: 'engine', targets, steps, transitions, wallMs: Math.round(wallMs), transitionsPerSecond: Math.round(transitions / (wallMs / 1000)), peakRssMB: peakRss() };
}

export function benchRaw(targets: number, steps: number): EngineBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const migration of SQLITE_MIGRATIONS) db.exec(migration.sql);
  const insertEvent = db.prepare('INSERT INTO events (run_id, campaign, type, at, data) VALUES (?, ?, ?, ?, ?)');
  const insertRun = db.prepare('INSERT INTO runs (run_id, campaign, target, status, outcome, version, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const updateRun = db.prepare('UPDATE runs SET status = ?, outcome = ?, version = ?, state = ?, updated_at = ? WHERE run_id = ? AND version = ?');
  // One transaction per transition, compiled once: the fastest plain loop better-sqlite3 allows.
  const transition = db.transaction((runId: string, target: string, type: string, data: object, status: string, version: number, state: { version: number }) => {
    const at = new Date().toISOString();
    insertEvent.run(runId, 'bench', type, at, JSON.stringify(data));
    state.version = version;
    if (version === 1) insertRun.run(runId, 'bench', target, status, null, 1, JSON.stringify(state), at);
    else updateRun.run(status, null, version, JSON.stringify(state), at, runId, version - 1);
  });
  const started = performance.now();
  for (let index = 0; index < targets; index++) {
    // The same rows the engine writes: the same event data, and a snapshot of the same shape.
    const target = benchTarget(`t${index}`);
    const runId = `bench:${target.spec.name}`;
    const now = (): string => new Date().toISOString();
    const state: RunState = { runId, campaign: 'bench', target: target.spec.name, baseCommit: target.facts.commit, status: 'running', reasons: [], steps: {}, createdAt: now(), updatedAt: now(), version: 1 };
    for (let step = 0; step < steps; step++) state.steps[`s${step}`] = { status: 'pending', attempt: 0 };
    let version = 1;
    const write = (type: string, data: object, status: string): void => {
      state.updatedAt = now();
      transition(runId, target.spec.name, type, data, status, version, state);
      version++;
    };
    write('run.created', { target: target.spec.name, commit: target.facts.commit, spec: target.spec, facts: target.facts }, 'running');
    for (let step = 0; step < steps; step++) {
      state.steps[`s${step}`] = { status: 'running', attempt: 1, startedAt: now() };
      write('step.started', { step: `s${step}`, attempt: 1 }, 'running');
      state.steps[`s${step}`] = { status: 'succeeded', attempt: 1, startedAt: state.updatedAt, finishedAt: now(), durationMs: 0, output: {} };
      write('step.succeeded', { step: `s${step}`, attempt: 1, durationMs: 0, output: {} }, 'running');
    }
    state.status = 'done';
    state.outcome = 'changed';
    write('run.completed', { outcome: 'changed', reasons: [] }, 'done');
  }
  const wallMs = performance.now() - started;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const transitions = targets * (2 + 2 * steps);
  return { mode: 'raw', targets, steps, transitions, wallMs: Math.round(wallMs), transitionsPerSecond: Math.round(transitions / (wallMs / 1000)), peakRssMB: peakRss() };
}

function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
