import type { ChangeEvidence } from '../evidence.js';
import { DEFAULT_WEIGHTS } from '../weights.js';
import { plural, unavailable, type Signal } from '../signal.js';

/**
 * Small changes are easier to get right and to review; the buckets are coarse on purpose, so the
 * explanation can name one. A bound on lines applies only when a step measured lines.
 */
const BUCKETS = [
  { name: 'tiny', files: 2, lines: 20, value: 1 },
  { name: 'small', files: 10, lines: 200, value: 0.3 },
  { name: 'medium', files: 50, lines: 1000, value: -0.3 },
] as const;

export function changeSizeSignal(change: ChangeEvidence | undefined, weight = DEFAULT_WEIGHTS.signals['change-size']): Signal {
  const files = change?.files;
  if (files === undefined) return unavailable('change-size', weight, 'no change step reported the files it changed');
  const lines = change?.lines;
  const size = `${plural(files, 'file')}${lines === undefined ? '' : `, ${plural(lines, 'line')}`}`;
  const bucket = BUCKETS.find((candidate) => files <= candidate.files && (lines === undefined || lines <= candidate.lines));
  const name = bucket?.name ?? 'large';
  const value = bucket?.value ?? -1;
  return { id: 'change-size', available: true, value, weight, explanation: `the change is ${name}: ${size}`, details: { files, lines: lines ?? null, bucket: name } };
}
