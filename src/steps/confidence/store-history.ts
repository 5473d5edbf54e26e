import semver from 'semver';
import type { AdoptionEvidence, TrackRecord } from '../../confidence/evidence.js';
import type { ConfidenceHistory } from '../../confidence/history.js';
import { featuresOf } from '../../confidence/decision.js';
import { learnWeights, type Learned, type Sample } from '../../confidence/learn.js';
import type { Weights } from '../../confidence/weights.js';
import type { RunState } from '../../model/run.js';
import type { Store } from '../../store/store.js';
import { CampaignLedger, isSafe } from './ledger.js';

/**
 * Steps that judge the change itself (its tests, its build, CI, a canary): their failure means the change
 * broke something, their success that it did not. A run that failed anywhere else — a checkout, an
 * approval refused, the gate itself — says nothing about the change.
 */
const JUDGING_STEP = /^(tests\/run|run|ci\/await|canary\/.+)$/;

/**
 * What a run says about its change: 1 (it held), 0 (it broke something) or undefined (no evidence yet).
 * A recorded outcome wins. Otherwise the run is judged as soon as its judging steps have: a failed one is
 * a failure; passed ones (tests that actually ran) are a success, even before the run is merged. Judging
 * successes when they happen, not at the merge, matters: failures are known at the test step, and a
 * record that waited for merges would count every failure long before the first success.
 */
export function runVerdict(run: RunState, usesOf: ReadonlyMap<string, string>, ledger: CampaignLedger): 0 | 1 | undefined {
  const recorded = ledger.outcomes.get(run.runId);
  if (recorded) return isSafe(recorded.outcome) ? 1 : 0;
  const judges = (id: string): boolean => JUDGING_STEP.test(usesOf.get(id) ?? id);
  if (run.status === 'done' && run.outcome === 'failed' && run.failedStep !== undefined && judges(run.failedStep)) return 0;
  let passed = false;
  for (const [id, step] of Object.entries(run.steps)) {
    if (!judges(id)) continue;
    if (step.status === 'failed') return 0;
    if (step.status === 'succeeded' && step.output?.ran !== false) passed = true;
  }
  if (passed) return 1;
  if (run.status === 'done' && (run.outcome === 'merged' || run.outcome === 'changed')) return 1;
  return undefined;
}

/** `step id → uses` from a stored campaign definition (tolerant: an unreadable one gives an empty map). */
function usesMap(spec: unknown): Map<string, string> {
  const map = new Map<string, string>();
  const steps = (spec as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return map;
  for (const step of steps as { id?: unknown; uses?: unknown }[]) if (typeof step.id === 'string' && typeof step.uses === 'string') map.set(step.id, step.uses);
  return map;
}

function tally(verdicts: readonly (0 | 1 | undefined)[]): TrackRecord | undefined {
  const successes = verdicts.filter((verdict) => verdict === 1).length;
  const failures = verdicts.filter((verdict) => verdict === 0).length;
  return successes + failures === 0 ? undefined : { successes, failures };
}

/**
 * The confidence history of a Flotilla store: runs, recorded outcomes and earlier decisions, read when a
 * gate asks (each campaign's events incrementally). Learned weights are fitted once per provider — once
 * per process — from every campaign's decisions and outcomes.
 */
export function storeConfidenceHistory(store: Store): ConfidenceHistory {
  const ledgers = new Map<string, CampaignLedger>();
  const ledger = async (campaign: string): Promise<CampaignLedger> => {
    const existing = ledgers.get(campaign) ?? new CampaignLedger(campaign);
    ledgers.set(campaign, existing);
    return existing.update(store);
  };
  const verdicts = async (campaign: string, keep: (run: RunState) => boolean): Promise<(0 | 1 | undefined)[]> => {
    const record = await store.getCampaign(campaign);
    const uses = usesMap(record?.spec);
    const book = await ledger(campaign);
    return (await store.listRuns(campaign)).filter(keep).map((run) => runVerdict(run, uses, book));
  };
  let learned: Promise<Learned | undefined> | undefined;

  return {
    async campaignRecord(campaign: string, runId: string): Promise<TrackRecord | undefined> {
      return tally(await verdicts(campaign, (run) => run.runId !== runId));
    },

    async targetHistory(target: string, campaign: string): Promise<TrackRecord | undefined> {
      const all: (0 | 1 | undefined)[] = [];
      for (const other of await store.listCampaigns()) {
        if (other.name === campaign) continue;
        all.push(...(await verdicts(other.name, (run) => run.target === target)));
      }
      return tally(all);
    },

    async fleetAdoption(campaign: string, pkg: string, version: string): Promise<AdoptionEvidence | undefined> {
      if (!semver.valid(version)) return undefined;
      let total = 0;
      let adopted = 0;
      for (const { facts } of await store.listRunTargets(campaign)) {
        const dependencies = (facts as { dependencies?: Record<string, string> } | undefined)?.dependencies ?? {};
        const range = dependencies[pkg];
        if (range === undefined) continue;
        total += 1;
        const minimum = semver.validRange(range) ? semver.minVersion(range) : null;
        if (minimum && semver.gte(minimum, version)) adopted += 1;
      }
      return total === 0 ? undefined : { package: pkg, version, adopted, total };
    },

    learned(prior: Weights): Promise<Learned | undefined> {
      learned ??= (async () => {
        const samples: Sample[] = [];
        for (const record of await store.listCampaigns()) {
          const book = await ledger(record.name);
          for (const [runId, outcome] of book.outcomes) {
            const decision = book.decisions.get(runId);
            if (decision) samples.push({ features: featuresOf(decision.decision), safe: isSafe(outcome.outcome) ? 1 : 0 });
          }
        }
        return learnWeights(samples, prior);
      })();
      return learned;
    },
  };
}
