import { z } from 'zod';

/**
 * The output of every ecosystem's bump step: the same fields as npm/bump-dependency's, so confidence
 * and later steps read them alike, plus `notes` — what the step knowingly did not do (a lockfile left
 * as it was, go.sum not updated), so it is never a silent gap.
 */
export const bumpOutput = z.strictObject({
  package: z.string(),
  /** The version the declarations started from. */
  from: z.string(),
  to: z.string(),
  /** `none` when the versions are not comparable with confidence. */
  kind: z.enum(['major', 'minor', 'patch', 'prerelease', 'none']),
  /** The workspace files the step changed, sorted. */
  files: z.array(z.string()),
  notes: z.array(z.string()).describe('what was left undone (a lockfile, go.sum), in words a person can act on'),
});

export type BumpOutput = z.input<typeof bumpOutput>;

/** A plain version token as build files write it: no range, no variable, no dynamic marker. */
export const PLAIN_VERSION = /^[0-9][0-9A-Za-z._-]*$/;

/** What a planner found, before anything is written. */
export type BumpPlan<E> =
  | { status: 'absent' }
  | { status: 'refused'; reason: string; from: string }
  | { status: 'current'; from: string }
  /** Nothing to do for another reason than being current (say why). */
  | { status: 'skip'; reason: string; from: string }
  | { status: 'edit'; from: string; edits: E };
