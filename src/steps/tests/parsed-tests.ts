/** What could be read from a test run: counts and the names of the tests that failed. */
export interface ParsedTests {
  format: 'tap' | 'junit';
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Names of the failing tests (nested tests as `suite > test`), unique, in the order they failed. */
  failures: string[];
}

/** Adds two readings (several test commands or report files in one run). */
export function addParsed(a: ParsedTests, b: ParsedTests): ParsedTests {
  return {
    format: a.format,
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    skipped: a.skipped + b.skipped,
    failures: [...new Set([...a.failures, ...b.failures])],
  };
}
