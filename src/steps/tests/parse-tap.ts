import type { ParsedTests } from './parsed-tests.js';

const SUMMARY = /^(?:#|ℹ) (tests|pass|fail|skipped|todo|cancelled)\s+(\d+)\s*$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const TEST_POINT = /^(\s*)(ok|not ok)\s+\d+(?:\s+(?:-\s+)?(.*?))?(?:\s+# (SKIP|TODO)\b.*)?\s*$/i;
const SPEC_FAILURE = /^✖ (.*?) \([\d.]+ms\)(?: # .*)?$/;

type Counts = Record<'tests' | 'pass' | 'fail' | 'skipped' | 'todo' | 'cancelled', number>;

/**
 * Reads the output of `node --test` — TAP (its default when the output is not a terminal) or the spec
 * reporter (`ℹ tests 5` … `✖ failing tests:`) — and other TAP producers that print `# tests N` / `# pass N`
 * / `# fail N` (tape). Returns undefined when the output has no summary: the counts would be guesses.
 *
 * A `not ok` that only reports failed subtests (node's suites: `failureType: 'subtestsFailed'`) is not a
 * failing test of its own; the subtests that failed are named instead, with their parents (`suite > test`).
 */
export function parseTap(output: string): ParsedTests | undefined {
  const lines = output.split(/\r?\n/);
  const counts: Counts = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
  let summaries = 0;
  for (const line of lines) {
    const match = SUMMARY.exec(line);
    if (!match) continue;
    counts[match[1] as keyof Counts] += Number(match[2]);
    if (match[1] === 'tests') summaries += 1;
  }
  if (summaries === 0) return undefined;
  const failures = lines.some((line) => line.trim() === '✖ failing tests:') ? specFailures(lines) : tapFailures(lines);
  const skipped = counts.skipped + counts.todo;
  const failed = counts.fail + counts.cancelled;
  return { format: 'tap', total: counts.tests, passed: counts.pass, failed, skipped, failures: [...new Set(failures)] };
}

function tapFailures(lines: readonly string[]): string[] {
  const parents: { indent: number; name: string }[] = [];
  const failures: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      const indent = subtest[1]?.length ?? 0;
      while (parents.length > 0 && (parents[parents.length - 1]?.indent ?? 0) >= indent) parents.pop();
      parents.push({ indent, name: subtest[2] ?? '' });
      continue;
    }
    const point = TEST_POINT.exec(line);
    if (!point || point[2]?.toLowerCase() !== 'not ok' || point[4]?.toUpperCase() === 'TODO') continue;
    const indent = point[1]?.length ?? 0;
    if (onlySubtestsFailed(lines, index + 1, indent)) continue;
    const path = parents.filter((parent) => parent.indent < indent).map((parent) => parent.name);
    failures.push([...path, unescape(point[3] ?? `test ${failures.length + 1}`)].join(' > '));
  }
  return failures;
}

/** Looks into the YAML block after a test point (indented, ended by `...`) for node's "only subtests failed". */
function onlySubtestsFailed(lines: readonly string[], from: number, indent: number): boolean {
  if (!/^\s*---\s*$/.test(lines[from] ?? '')) return false;
  for (let index = from + 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (/^\s*\.\.\.\s*$/.test(line) || (line.trim() !== '' && line.length - line.trimStart().length <= indent)) return false;
    if (/^\s*failureType: '?subtestsFailed'?/.test(line)) return true;
  }
  return false;
}

function specFailures(lines: readonly string[]): string[] {
  const start = lines.findIndex((line) => line.trim() === '✖ failing tests:');
  const failures: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = SPEC_FAILURE.exec(line);
    if (match?.[1]) failures.push(match[1]);
  }
  return failures;
}

/** TAP escapes `#` and `\` in descriptions. */
function unescape(name: string): string {
  return name.replace(/\\([#\\])/g, '$1');
}
