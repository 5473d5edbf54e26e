import type { AdoptionEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { round, unavailable, type Signal } from '../signal.js';

/** Ten targets of our own fleet already running a version is as much as this signal can say. */
export const FULL_ADOPTION = 10;

/**
 * How many targets of the fleet already run the new version (from their detected facts): each is a place
 * it already works. Counted on a log scale up to ten; nobody running it yet is no evidence either way.
 */
export function fleetAdoptionSignal(adoption: AdoptionEvidence | undefined, weight = DEFAULT_WEIGHTS.signals['fleet-adoption']): Signal {
  if (adoption === undefined || adoption.total === 0) return unavailable('fleet-adoption', weight, 'how many targets already run the new version is not known');
  const { adopted, total } = adoption;
  const value = adopted === 0 ? 0 : Math.min(1, Math.log(1 + adopted) / Math.log(1 + FULL_ADOPTION));
  const who = `${adopted} of ${total} targets using ${adoption.package} already run ${adoption.version}`;
  return { id: 'fleet-adoption', available: true, value: round(value), weight, explanation: adopted === 0 ? `${who}: it is new to the fleet` : who, details: { adopted, total } };
}
