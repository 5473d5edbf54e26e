import type { RunState } from '../model/run.js';
import { OUTCOMES } from '../model/run.js';
import { formatDuration } from '../model/duration.js';
import { color, paintOutcome, table } from './output.js';

/** The `run --json` contract: `{campaign, targets: [{name, outcome, reasons, steps: [{id, status, durationMs}]}]}`. */
export interface RunReport {
  campaign: string;
  counts: Record<string, number>;
  targets: {
    name: string;
    status: string;
    outcome: string | null;
    reasons: string[];
    failedStep?: string;
    steps: { id: string; status: string; attempts: number; durationMs: number | null }[];
  }[];
}

export function runReport(campaign: string, runs: readonly RunState[]): RunReport {
  return {
    campaign,
    counts: countOutcomes(runs),
    targets: runs.map((run) => ({
      name: run.target,
      status: run.status,
      outcome: run.outcome ?? null,
      reasons: run.reasons,
      ...(run.failedStep ? { failedStep: run.failedStep } : {}),
      steps: Object.entries(run.steps).map(([id, step]) => ({ id, status: step.status, attempts: step.attempt, durationMs: step.durationMs ?? null })),
    })),
  };
}

export function countOutcomes(runs: readonly RunState[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of OUTCOMES) counts[outcome] = 0;
  counts.unfinished = 0;
  for (const run of runs) {
    const key = run.outcome ?? 'unfinished';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** One line per target, then the totals. */
export function renderSummary(campaign: string, runs: readonly RunState[]): string {
  const rows = runs.map((run) => [run.target, run.outcome ? paintOutcome(run.outcome) : color.dim(currentStep(run)), detail(run)]);
  const counts = countOutcomes(runs);
  const totals = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${outcome === 'unfinished' ? outcome : paintOutcome(outcome)}`)
    .join(', ');
  return `${table([['TARGET', 'OUTCOME', 'DETAIL'].map(color.bold), ...rows])}\n\n${color.bold(campaign)}: ${runs.length} targets — ${totals || 'nothing to do'}`;
}

function currentStep(run: RunState): string {
  const waiting = Object.entries(run.steps).find(([, step]) => step.status === 'waiting');
  if (waiting) return `waiting at ${waiting[0]} for ${waiting[1].wait?.reason ?? 'an event'}`;
  const running = Object.entries(run.steps).find(([, step]) => step.status === 'running' || step.status === 'retrying');
  return running ? `${running[1].status} ${running[0]}` : run.status;
}

function detail(run: RunState): string {
  if (run.reasons.length > 0) return firstLine(run.reasons.join('; '));
  const total = Object.values(run.steps).reduce((sum, step) => sum + (step.durationMs ?? 0), 0);
  return total > 0 ? color.dim(formatDuration(total)) : '';
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 140 ? `${line.slice(0, 137)}...` : line;
}
