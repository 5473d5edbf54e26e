import type { AdoptionEvidence, TrackRecord } from './evidence.js';
import type { Learned } from './learn.js';
import type { Weights } from './weights.js';

/**
 * What a confidence gate needs to know beyond its own run: how the campaign went elsewhere, how the
 * target took earlier changes, who already runs the new version, and a model learned from recorded
 * outcomes. Steps are not given the store (the engine keeps it to itself), so whoever runs the campaign
 * provides this; every method may be missing and every answer may be undefined, and the gate then
 * decides on what it has.
 */
export interface ConfidenceHistory {
  /** Runs of `campaign` other than `runId` whose change has been judged: successes (validation passed, merged, healthy) and failures (validation failed, reverted, broke). */
  campaignRecord?(campaign: string, runId: string): Promise<TrackRecord | undefined>;
  /** Earlier automated changes to `target` by other campaigns. */
  targetHistory?(target: string, campaign: string): Promise<TrackRecord | undefined>;
  /** Targets of the campaign's fleet that already run `pkg@version`, from their detected facts. */
  fleetAdoption?(campaign: string, pkg: string, version: string): Promise<AdoptionEvidence | undefined>;
  /** Weights fitted on recorded outcomes, when there are enough of them. */
  learned?(prior: Weights): Promise<Learned | undefined>;
}
