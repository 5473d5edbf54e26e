import type { RunState } from '../model/run.js';
import type { CampaignEvent } from '../store/store.js';
import { successLowerBound, type RolloutPlan } from './waves.js';

/** What the rollout asks the runner to do after a change in the runs. */
export type RolloutDecision =
  | { kind: 'none' }
  | { kind: 'open'; wave: number; reason: string }
  | { kind: 'halt'; by: 'gate' | 'breaker'; wave: number; reason: string };

/**
 * Where a progressive rollout stands, rebuilt from the campaign's events: which wave is open, when the
 * campaign was last resumed (the circuit breaker counts from there), and whether a person resumed past a
 * failed gate. `decide` is pure: the runs in, a decision out.
 */
export class RolloutState {
  openWave = -1;
  private resumedAt = 0;
  private overriddenWave = -1;

  constructor(
    readonly plan: RolloutPlan,
    events: readonly CampaignEvent[],
  ) {
    let haltedAtGate = -1;
    for (const event of events) {
      if (event.type === 'campaign.wave-started') this.openWave = Math.max(this.openWave, Number(event.data.wave));
      if (event.type === 'campaign.halted') haltedAtGate = event.data.by === 'gate' ? Number(event.data.wave) : -1;
      if (event.type === 'campaign.resumed') {
        this.resumedAt = Date.parse(event.at);
        if (haltedAtGate >= 0) this.overriddenWave = haltedAtGate;
        haltedAtGate = -1;
      }
    }
  }

  waveOf(target: string): number {
    return this.plan.waveOf.get(target) ?? this.plan.waves - 1;
  }

  /** A resume after a halt: the breaker counts from now; a failed gate is passed over. */
  resumed(at: number, haltedBy: 'gate' | 'breaker' | undefined): void {
    this.resumedAt = at;
    if (haltedBy === 'gate') this.overriddenWave = this.openWave;
  }

  decide(runs: readonly RunState[]): RolloutDecision {
    if (this.openWave < 0) return { kind: 'open', wave: 0, reason: 'the rollout starts' };
    const breaker = this.plan.halt;
    if (breaker) {
      const since = runs.filter((run) => run.status === 'done' && Date.parse(run.updatedAt) >= this.resumedAt && decisive(run));
      const failures = since.filter((run) => run.outcome === 'failed').length;
      if (since.length >= breaker.minRuns && failures / since.length >= breaker.failureRate) {
        return { kind: 'halt', by: 'breaker', wave: this.openWave, reason: `circuit breaker: ${failures} of ${since.length} runs failed (threshold ${Math.round(breaker.failureRate * 100)}% after ${breaker.minRuns} runs)` };
      }
    }
    if (this.openWave >= this.plan.waves - 1) return { kind: 'none' };
    const current = runs.filter((run) => this.waveOf(run.target) === this.openWave);
    if (current.some((run) => run.status === 'running')) return { kind: 'none' };
    if (this.overriddenWave === this.openWave) return { kind: 'open', wave: this.openWave + 1, reason: `resumed past wave ${this.openWave + 1}'s gate` };
    const successes = current.filter((run) => run.outcome === 'merged' || run.outcome === 'changed').length;
    const failures = current.filter((run) => run.outcome === 'failed').length;
    if (successes + failures === 0) return { kind: 'open', wave: this.openWave + 1, reason: `wave ${this.openWave + 1} had nothing to judge` };
    const bound = successLowerBound(successes, failures);
    const summary = `wave ${this.openWave + 1}: ${successes} succeeded, ${failures} failed; success rate lower bound ${bound.toFixed(2)}`;
    if (bound >= this.plan.gate) return { kind: 'open', wave: this.openWave + 1, reason: `${summary} ≥ ${this.plan.gate}` };
    return { kind: 'halt', by: 'gate', wave: this.openWave, reason: `${summary} < ${this.plan.gate}` };
  }
}

/** Runs that say something about the change: not skipped (nothing to do) and not cancelled. */
function decisive(run: RunState): boolean {
  return run.outcome !== 'skipped' && run.outcome !== 'cancelled';
}
