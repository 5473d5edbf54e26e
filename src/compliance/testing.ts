import type { ChangeFacts, DependencyChange } from './change-facts.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';

/**
 * Helpers for compliance tests and the benchmark: realistic git diff text and facts around it.
 * Not part of the public API.
 */

export interface DiffFile {
  path: string;
  /** Lines the change adds (a new file when `removed` is empty and `status` is not given). */
  added?: string[];
  removed?: string[];
  status?: 'added' | 'modified' | 'deleted';
  /** Where the hunk starts in the new file. */
  startLine?: number;
}

/** `git diff --unified=0` text for the files, one hunk each. */
export function gitDiff(files: readonly DiffFile[]): string {
  const out: string[] = [];
  for (const file of files) {
    const added = file.added ?? [];
    const removed = file.removed ?? [];
    const status = file.status ?? (removed.length === 0 ? 'added' : 'modified');
    const start = file.startLine ?? 1;
    out.push(`diff --git a/${file.path} b/${file.path}`);
    if (status === 'added') out.push('new file mode 100644');
    if (status === 'deleted') out.push('deleted file mode 100644');
    out.push(`--- ${status === 'added' ? '/dev/null' : `a/${file.path}`}`);
    out.push(`+++ ${status === 'deleted' ? '/dev/null' : `b/${file.path}`}`);
    const oldStart = removed.length === 0 ? start - 1 : start;
    const newStart = added.length === 0 ? start - 1 : start;
    out.push(`@@ -${oldStart},${removed.length} +${newStart},${added.length} @@`);
    for (const line of removed) out.push(`-${line}`);
    for (const line of added) out.push(`+${line}`);
  }
  return `${out.join('\n')}\n`;
}

export function makeFacts(parts: {
  diff?: string;
  dependencies?: DependencyChange[];
  target?: Partial<ChangeFacts['target']>;
  now?: string;
  codeowners?: string;
}): ChangeFacts {
  return {
    files: parseUnifiedDiff(parts.diff ?? ''),
    dependencies: parts.dependencies ?? [],
    target: { name: 'checkout', owner: 'payments', tier: 1, tags: ['web'], ...parts.target },
    campaign: { name: 'test-campaign' },
    now: parts.now ?? '2025-06-04T10:00:00Z',
    ...(parts.codeowners === undefined ? {} : { codeowners: parts.codeowners }),
  };
}

export function dependency(name: string, to: string | undefined, extra: Partial<DependencyChange> = {}): DependencyChange {
  return {
    ecosystem: 'npm',
    name,
    change: to === undefined ? 'removed' : 'changed',
    ...(to === undefined ? {} : { to }),
    kind: 'none',
    direct: true,
    dev: false,
    ...extra,
  };
}

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';
export const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz${DIGITS}`;
export const HEX = '0123456789abcdef';
export const BASE64 = `${ALNUM}+/`;

/**
 * Deterministic random-looking characters, so tests can build well-formed fake credentials at run time
 * without any credential-shaped literal in the repository.
 */
export function fakeChars(length: number, alphabet: string, seed = 1): string {
  let state = (seed * 2654435761) >>> 0 || 1;
  let text = '';
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    text += alphabet[state % alphabet.length] ?? '';
  }
  return text;
}
