import type { Command } from 'commander';
import { hostname, userInfo } from 'node:os';
import { runOf } from '../../app/continue-campaign.js';
import { reduce } from '../../engine/reducer.js';
import { FlotillaError } from '../../model/errors.js';
import type { RunEvent } from '../../model/events.js';
import { OUTCOME_SIGNAL, RECORDED_OUTCOMES, type RecordedOutcome } from '../../steps/confidence/ledger.js';
import type { Store } from '../../store/store.js';
import { printJson, type Output } from '../output.js';
import { stateDirOf, withStore, type GlobalOptions } from '../state.js';

const LOCK_TTL_MS = 30_000;

interface OutcomeOptions {
  reason?: string;
  by?: string;
  json?: boolean;
}

/**
 * `flotilla outcome CAMPAIGN TARGET healthy|reverted|broke`: how a change turned out after it landed —
 * the label the confidence model learns from and `flotilla calibration` checks it against.
 *
 * The outcome is queued as an `outcome.recorded` signal like any outside event, and — since the run is
 * finished and the engine drops signals for finished runs — applied here at once under the campaign's
 * lock: one `signal.received` event on the run, in the same transaction that marks the signal consumed.
 * When another process holds the campaign, the signal stays queued for it.
 */
export function registerOutcome(program: Command, output: Output): void {
  program
    .command('outcome')
    .description('Record how a landed change turned out (healthy, reverted or broke), for confidence learning and calibration')
    .argument('<campaign>', 'the campaign name')
    .argument('<target>', 'the target name')
    .argument('<outcome>', RECORDED_OUTCOMES.join(' | '))
    .option('--reason <text>', 'why (kept with the outcome)')
    .option('--by <name>', 'who (default: the current user)')
    .option('--json', 'print JSON')
    .action(async (campaign: string, target: string, outcome: string, options: OutcomeOptions, command: Command) => {
      if (!RECORDED_OUTCOMES.includes(outcome as RecordedOutcome)) {
        throw new FlotillaError('bad-input', `the outcome must be one of ${RECORDED_OUTCOMES.join(', ')}, not "${outcome}"`, { location: { field: 'outcome' } });
      }
      await withStore(stateDirOf(command.optsWithGlobals<GlobalOptions>()), true, async (store) => {
        const result = await recordOutcome(store, campaign, target, outcome as RecordedOutcome, options);
        if (options.json) return printJson(output, { ok: true, campaign, target, outcome, applied: result.applied, ...(result.holder ? { holder: result.holder } : {}) });
        output.out(`${target}: outcome ${outcome} recorded`);
        if (!result.applied) output.out(`queued: the process running the campaign (${result.holder ?? 'another process'}) holds it`);
      });
    });
}

/** Queues the outcome and applies it to the finished run when no other process holds the campaign. */
export async function recordOutcome(store: Store, campaign: string, target: string, outcome: RecordedOutcome, options: OutcomeOptions = {}): Promise<{ applied: boolean; holder?: string }> {
  const run = await runOf(store, campaign, target);
  if (run.status !== 'done') throw new FlotillaError('conflict', `the run of ${target} has not finished (it is ${run.status}); record its outcome once it has landed`);
  const by = options.by ?? currentUser();
  const at = new Date().toISOString();
  const data = { outcome, ...(options.reason ? { reason: options.reason } : {}), by };
  const cause = `flotilla outcome by ${by}`;
  const inboxId = await store.enqueueSignal({ campaign, runId: run.runId, name: OUTCOME_SIGNAL, data, cause, at });
  const owner = `${hostname()}:${process.pid}`;
  const lock = `campaign:${campaign}`;
  const held = await store.acquireLock(lock, owner, Date.now(), LOCK_TTL_MS, isDeadLocalProcess);
  if (!held.acquired) return { applied: false, ...(held.holder ? { holder: held.holder } : {}) };
  try {
    const current = (await store.getRun(run.runId)) ?? run;
    const event: RunEvent = { type: 'signal.received', data: { name: OUTCOME_SIGNAL, data, cause }, runId: run.runId, at };
    // A finished run's state only counts the event (the reducer changes nothing else), so replay stays exact.
    await store.appendEvent(event, reduce([], current, event).state, inboxId);
    return { applied: true };
  } finally {
    await store.releaseLock(lock, owner);
  }
}

/** A lock holder on this machine whose process is gone (the engine's rule for taking over a campaign). */
function isDeadLocalProcess(holder: string): boolean {
  const [host, pidText] = holder.split(':');
  if (host !== hostname() || !pidText) return false;
  try {
    process.kill(Number(pidText), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
