import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJunit } from './parse-junit.js';
import { addParsed, type ParsedTests } from './parsed-tests.js';

/**
 * Where test tools write JUnit XML by default or by common convention: a report at the top, Maven's
 * Surefire and Failsafe folders, Gradle's `build/test-results`, and the `test-results`/`reports`/`junit`
 * folders jest-junit, Vitest and pytest are usually pointed at.
 */
const REPORT_FOLDERS = ['target/surefire-reports', 'target/failsafe-reports', 'build/test-results', 'test-results', 'reports', 'junit'];
const TOP_LEVEL_REPORT = /^(junit|test-results|TEST-).*\.xml$/i;
const MAX_DEPTH = 3;

/** Size and time of each candidate report, to tell the reports a run wrote from ones already there. */
export type ReportSnapshot = Map<string, string>;

/** The candidate report files in `dir` now, with a fingerprint of each. */
export async function snapshotReports(dir: string): Promise<ReportSnapshot> {
  const files: string[] = [];
  for (const entry of await entries(dir)) if (TOP_LEVEL_REPORT.test(entry)) files.push(join(dir, entry));
  for (const folder of REPORT_FOLDERS) await collectXml(join(dir, folder), MAX_DEPTH, files);
  const snapshot: ReportSnapshot = new Map();
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) snapshot.set(file, `${info.size}:${info.mtimeMs}`);
  }
  return snapshot;
}

/** Reads the reports that are new or changed since `before`: a committed or stale report never counts. */
export async function readNewReports(dir: string, before: ReportSnapshot): Promise<ParsedTests | undefined> {
  const after = await snapshotReports(dir);
  let parsed: ParsedTests | undefined;
  for (const [file, fingerprint] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
    if (before.get(file) === fingerprint) continue;
    const report = parseJunit(await readFile(file, 'utf8').catch(() => ''));
    if (report) parsed = parsed ? addParsed(parsed, report) : report;
  }
  return parsed;
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function collectXml(dir: string, depth: number, files: string[]): Promise<void> {
  if (depth < 0) return;
  const list = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of list) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await collectXml(path, depth - 1, files);
    else if (entry.isFile() && entry.name.endsWith('.xml')) files.push(path);
  }
}
