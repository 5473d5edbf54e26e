import type { ChangeEvidence, ChangeKind } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { unavailable, type Signal } from '../signal.js';

/**
 * Semantic versioning's promise, taken at its word but not blindly: a patch should change nothing a
 * caller sees (mild evidence for), a minor adds only (neutral), a major or a pre-release may break callers
 * by design (evidence against).
 */
const VALUE: Record<ChangeKind, number> = { patch: 0.5, minor: 0, none: 0, major: -1, prerelease: -1 };
const RANK: Record<ChangeKind, number> = { none: 0, patch: 1, minor: 2, major: 3, prerelease: 4 };

/** The largest move of several bumps decides (one major among patches makes the change a major one). */
export function largestKind(kinds: readonly ChangeKind[]): ChangeKind | undefined {
  let largest: ChangeKind | undefined;
  for (const kind of kinds) if (largest === undefined || RANK[kind] > RANK[largest]) largest = kind;
  return largest;
}

export function changeKindSignal(change: ChangeEvidence | undefined, weight = DEFAULT_WEIGHTS.signals['change-kind']): Signal {
  const kind = change?.kind;
  if (change === undefined || kind === undefined || kind === 'none') return unavailable('change-kind', weight, 'the change bumps no dependency version');
  const bumps = change.bumps.map((bump) => `${bump.package} ${bump.from} → ${bump.to}`).join(', ');
  const what: Record<ChangeKind, string> = {
    patch: 'a patch release, which should change no behaviour',
    minor: 'a minor release, which should only add',
    major: 'a major release, which may break callers by design',
    prerelease: 'a pre-release, which promises nothing',
    none: '',
  };
  return { id: 'change-kind', available: true, value: VALUE[kind], weight, explanation: `${bumps || 'the bump'} is ${what[kind]}`, details: { kind, bumps: change.bumps } };
}
