import { DEFAULT_WEIGHTS } from '../weights.js';
import type { Signal } from '../signal.js';

/**
 * The target's criticality. It is not evidence of safety, it raises the bar: tier 0 needs a full point of
 * extra evidence, tier 1 half of one, tiers 2 and 3 nothing. (A least-critical target earns nothing for
 * it: being unimportant does not make a change safe.)
 */
export function tierSignal(tier: number, weight = DEFAULT_WEIGHTS.signals.tier): Signal {
  const value = tier <= 0 ? -1 : tier === 1 ? -0.5 : 0;
  const label = tier <= 0 ? 'tier 0, the most critical: it needs stronger evidence' : tier === 1 ? 'tier 1, critical: it needs somewhat stronger evidence' : `tier ${tier}: the usual bar`;
  return { id: 'tier', available: true, value, weight, explanation: `the target is ${label}`, details: { tier } };
}
