import { decideConfidence, type Decision } from '../../confidence/decision.js';
import type { Evidence } from '../../confidence/evidence.js';
import { reduce, runIdOf } from '../../engine/reducer.js';
import type { RunEvent, RunEventBody } from '../../model/events.js';
import type { Outcome, RunState } from '../../model/run.js';
import type { Store } from '../../store/store.js';
import { OUTCOME_SIGNAL, type RecordedOutcome } from './ledger.js';

/** A finished run to write into a real store for tests of what reads the ledger (history, CLI commands). */
export interface RecordedRun {
  target: string;
  outcome: Outcome;
  failedStep?: string;
  reasons?: string[];
  /** Evidence for a `confidence.decision` event by a step named `gate`… */
  evidence?: Evidence;
  /** …or the decision itself. */
  decision?: Decision;
  recorded?: RecordedOutcome;
  dependencies?: Record<string, string>;
  /** Leave the run unfinished (no `run.completed`). */
  unfinished?: boolean;
}

/**
 * Writes runs the way the engine would have — events reduced into states by the real reducer, appended
 * one transaction each — without running any step: fast, and every reader sees exactly the engine's
 * shapes. For tests only.
 */
export async function writeRuns(store: Store, campaign: string, steps: { id: string; uses: string }[], runs: readonly RecordedRun[], start = Date.parse('2025-06-30T09:00:00Z')): Promise<void> {
  const now = new Date(start).toISOString();
  if (!(await store.getCampaign(campaign))) await store.saveCampaign({ name: campaign, hash: campaign, spec: { name: campaign, steps }, file: `${campaign}.yaml`, createdAt: now, updatedAt: now });
  let clock = start;
  for (const run of runs) {
    const runId = runIdOf(campaign, run.target);
    let state: RunState | undefined;
    const append = async (body: RunEventBody): Promise<void> => {
      clock += 1000;
      const event = { ...body, runId, at: new Date(clock).toISOString() } as RunEvent;
      state = reduce([], state, event).state;
      await store.appendEvent(event, state);
    };
    const facts = { name: run.target, repo: run.target, owner: 'team', tier: 2, tags: [], defaultBranch: 'main', commit: 'c0ffee', languages: [], packageManager: 'npm', dependencies: run.dependencies ?? {}, devDependencies: {}, hasTests: true, testCommand: 'npm test' };
    await append({ type: 'run.created', data: { target: run.target, commit: 'c0ffee', spec: { name: run.target, repo: run.target, tier: 2, tags: [] }, facts } });
    const decision = run.decision ?? (run.evidence ? decideConfidence(run.evidence) : undefined);
    if (decision) await append({ type: 'step.reported', data: { step: 'gate', name: 'confidence.decision', data: { ...decision, sources: {} } } });
    if (run.unfinished) continue;
    await append({ type: 'run.completed', data: { outcome: run.outcome, reasons: run.reasons ?? [], ...(run.failedStep ? { failedStep: run.failedStep } : {}) } });
    if (run.recorded) await append({ type: 'signal.received', data: { name: OUTCOME_SIGNAL, data: { outcome: run.recorded, by: 'test' }, cause: 'flotilla outcome by test' } });
  }
}
