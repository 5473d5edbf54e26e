import { formatDuration } from '../model/duration.js';
import type { RunState, StepState } from '../model/run.js';
import type { CampaignStatus } from '../store/store.js';
import type { StuckKind, StuckRun } from './api-responses.js';

/** The campaign around a run: its status, why it halted, the run's wave and the wave open now (0-based). */
export interface RunContext {
  status: CampaignStatus;
  halted?: string;
  wave?: number;
  openWave?: number;
}

/**
 * "Why is this stuck": the plain reason a run has not landed — what it waits for and since when, who
 * must approve, which policy blocked it, the first line of the error it failed with, how long its step
 * has been running, or that its wave has not started or the campaign halted. Pure (time is passed in),
 * so every case is table-tested.
 *
 * Runs that ended `merged`, `changed`, `skipped` or `cancelled` are not stuck: undefined.
 */
export function stuckReason(run: RunState, context: RunContext, now: Date): StuckRun | undefined {
  const campaign = context.status;
  const at = (kind: StuckKind, reason: string, step: string | undefined, since: string | undefined): StuckRun => ({
    target: run.target,
    kind,
    reason,
    step: step ?? null,
    since: since ?? null,
  });
  if (run.status === 'done') return ended(run, at);
  if (campaign === 'cancelled') return at('ending', 'the campaign was cancelled: the run is being cancelled', undefined, run.updatedAt);
  if (run.ending) {
    const cleanup = run.cleanup ? ` (clean-up step ${run.cleanup} runs first)` : '';
    return at('ending', `ending as ${run.ending.outcome}: ${firstLine(run.ending.reasons[0] ?? '')}${cleanup}`, run.cleanup, run.updatedAt);
  }
  const steps = Object.entries(run.steps);
  const waiting = steps.find(([, step]) => step.status === 'waiting');
  if (waiting) return waitReason(waiting[0], waiting[1], now, at);
  const running = steps.find(([, step]) => step.status === 'running');
  if (running) {
    const [id, step] = running;
    const since = step.startedAt ?? run.updatedAt;
    return at('running', `running step ${id} for ${ago(since, now)}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`, id, since);
  }
  const retrying = steps.find(([, step]) => step.status === 'retrying');
  if (retrying) {
    const [id, step] = retrying;
    const when = step.notBefore ? `; next attempt at ${step.notBefore}` : '';
    return at('retrying', `step ${id} failed on attempt ${step.attempt}: ${firstLine(step.error?.message ?? '')}${when}`, id, step.finishedAt ?? run.updatedAt);
  }
  const next = steps.find(([, step]) => step.status === 'ready') ?? steps.find(([, step]) => step.status === 'pending');
  if (campaign === 'halted') return at('halted', `the campaign halted${context.halted ? `: ${firstLine(context.halted)}` : ''}; resume it to go on`, next?.[0], run.updatedAt);
  if (context.wave !== undefined && context.wave > (context.openWave ?? -1)) {
    const open = (context.openWave ?? -1) < 0 ? 'no wave has started yet' : `wave ${(context.openWave ?? 0) + 1} is open`;
    return at('waiting-wave', `waiting for wave ${context.wave + 1} to start (${open})`, next?.[0], run.updatedAt);
  }
  if (campaign === 'paused') return at('paused', `the campaign is paused${next ? `; next step: ${next[0]}` : ''}`, next?.[0], run.updatedAt);
  return at('queued', next ? `queued: step ${next[0]} starts when a slot is free` : 'queued', next?.[0], run.updatedAt);
}

type Make = (kind: StuckKind, reason: string, step: string | undefined, since: string | undefined) => StuckRun;

function ended(run: RunState, at: Make): StuckRun | undefined {
  if (run.outcome === 'failed') {
    const step = run.failedStep;
    const error = step ? run.steps[step]?.error?.message : undefined;
    const line = firstLine(error ?? run.reasons[0] ?? 'no reason was recorded');
    return at('failed', step ? `failed at step ${step}: ${line}` : `failed: ${line}`, step, (step ? run.steps[step]?.finishedAt : undefined) ?? run.updatedAt);
  }
  if (run.outcome !== 'needs-human') return undefined;
  const more = run.reasons.length > 1 ? ` (and ${run.reasons.length - 1} more)` : '';
  const policy = run.reasons.find((reason) => reason.startsWith('compliance:'));
  if (policy) return at('blocked', `blocked by policy: ${firstLine(policy.slice('compliance:'.length).trim())}${more}`, stepEnding(run), run.updatedAt);
  return at('needs-human', `needs a human: ${firstLine(run.reasons[0] ?? 'no reason was recorded')}${more}`, stepEnding(run), run.updatedAt);
}

function waitReason(id: string, step: StepState, now: Date, at: Make): StuckRun {
  const wait = step.wait;
  const since = waitingSince(step);
  const what = wait?.reason ?? 'an event';
  const deadline = wait?.deadline ? `; at ${wait.deadline} it will ${onTimeoutWords(wait.onTimeout)}` : '';
  const forHow = since ? ` for ${ago(since, now)}` : '';
  if (wait?.types.includes('approval.granted')) return at('needs-approval', `needs ${what}${forHow}${deadline}`, id, since);
  if (wait?.types.includes('ci.completed')) return at('waiting-ci', `waiting for ${what}${forHow}${deadline}`, id, since);
  return at('waiting', `waiting at step ${id} for ${what}${forHow}${deadline}`, id, since);
}

/** A waiting step started at `startedAt` and spent `durationMs` before it began to wait. */
function waitingSince(step: StepState): string | undefined {
  if (!step.startedAt) return undefined;
  return new Date(Date.parse(step.startedAt) + (step.durationMs ?? 0)).toISOString();
}

/** The step whose verdict ended the run: the last one that finished. */
function stepEnding(run: RunState): string | undefined {
  let last: [string, string] | undefined;
  for (const [id, step] of Object.entries(run.steps)) {
    if (step.finishedAt && (!last || step.finishedAt >= last[1])) last = [id, step.finishedAt];
  }
  return last?.[0];
}

function onTimeoutWords(onTimeout: string): string {
  if (onTimeout === 'continue') return 'go on without it';
  if (onTimeout === 'needs-human') return 'end needing a human';
  return 'fail';
}

function ago(since: string, now: Date): string {
  return formatDuration(Math.max(0, now.getTime() - Date.parse(since)));
}

export function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
