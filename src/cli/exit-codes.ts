import { isFlotillaError } from '../model/errors.js';

/**
 * Exit codes scripts can rely on (documented in the README):
 * 0 — done, and no run failed or needs a human;
 * 1 — done, but some runs failed or need a human (or a canary/check verdict was not a pass);
 * 2 — bad input: a file, an argument or a name is wrong (the message names the place);
 * 3 — could not proceed: the campaign is already running, or git/npm/the store failed;
 * 130 — interrupted (Ctrl-C); running the same command again resumes.
 */
export const EXIT = { ok: 0, attention: 1, badInput: 2, failure: 3, interrupted: 130 } as const;

export function exitCodeFor(error: unknown): number {
  if (isFlotillaError(error) && (error.code === 'bad-input' || error.code === 'not-found')) return EXIT.badInput;
  return EXIT.failure;
}
