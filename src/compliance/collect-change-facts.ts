import { readFile } from 'node:fs/promises';
import { devNull } from 'node:os';
import path from 'node:path';
import { gitEnv } from '../git/git.js';
import { badInput, FlotillaError } from '../model/errors.js';
import { exec } from '../process/exec.js';
import { changeFactsSchema, type ChangeFacts, type FileChange } from './change-facts.js';
import { diffDependencies, normaliseLicence } from './diff-dependencies.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';

export interface CollectChangeFactsOptions {
  /** A git checkout of the target. */
  repoDir: string;
  /** What the change starts from (a branch, tag or commit). */
  baseRef: string;
  /** The change itself; default `HEAD`. */
  headRef?: string;
  target: { name: string; owner?: string; tier?: number; tags?: string[] };
  campaign: { name: string };
  /** The time of the check, injected (ISO 8601 text or a Date). */
  now: string | Date;
  signal?: AbortSignal;
}

/** Large diffs are fine; one beyond this is refused rather than silently cut. */
const MAX_OUTPUT = 256 * 1024 * 1024;

/** Where GitHub looks for CODEOWNERS, in its order. */
const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];

/**
 * The I/O edge of the compliance capability: reads a change from git (numstat, a zero-context
 * diff, package.json and the lockfile at both ends, CODEOWNERS at the base) and builds its facts.
 * It only reads: no hook, filter, external diff or text conversion of the target runs, and installed
 * packages are read as JSON, never loaded.
 */
export async function collectChangeFacts(options: CollectChangeFactsOptions): Promise<ChangeFacts> {
  const { repoDir, signal } = options;
  const base = await resolveCommit(repoDir, options.baseRef, signal);
  const head = await resolveCommit(repoDir, options.headRef ?? 'HEAD', signal);
  const diffArgs = ['-M', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/'];
  const numstat = await gitOutput(repoDir, ['diff', '--numstat', '-z', ...diffArgs, base, head, '--'], signal);
  const unified = await gitOutput(repoDir, ['diff', '--unified=0', ...diffArgs, base, head, '--'], signal);
  const files = mergeCounts(parseUnifiedDiff(unified), parseNumstat(numstat));

  const [basePkg, headPkg, baseLock, headLock] = await Promise.all([
    readJsonAt(repoDir, base, 'package.json', signal),
    readJsonAt(repoDir, head, 'package.json', signal),
    readLockAt(repoDir, base, signal),
    readLockAt(repoDir, head, signal),
  ]);
  const dependencies = diffDependencies(basePkg, headPkg, baseLock, headLock);
  for (const dependency of dependencies) {
    if (dependency.licence !== undefined || dependency.to === undefined) continue;
    const licence = await installedLicence(repoDir, dependency.name, dependency.to);
    if (licence !== undefined) dependency.licence = licence;
  }

  let codeowners: string | undefined;
  for (const candidate of CODEOWNERS_PATHS) {
    codeowners = await readTextAt(repoDir, base, candidate, signal);
    if (codeowners !== undefined) break;
  }
  // The parts that come from the caller are validated; the rest was built here, from git, and a large
  // diff is not worth walking through the schema again.
  const given = changeFactsSchema.pick({ target: true, campaign: true, now: true }).safeParse({
    target: options.target,
    campaign: { name: options.campaign.name },
    now: typeof options.now === 'string' ? options.now : options.now.toISOString(),
  });
  if (!given.success) {
    const issue = given.error.issues[0];
    const field = (issue?.path ?? []).join('.');
    throw badInput(`${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  const { target, campaign, now } = given.data;
  return { files, dependencies, target, campaign, now, ...(codeowners === undefined ? {} : { codeowners }) };
}

function runGit(repoDir: string, args: readonly string[], signal: AbortSignal | undefined) {
  const safety = ['-c', `core.hooksPath=${devNull}`, '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];
  return exec('git', [...safety, ...args], { cwd: repoDir, env: gitEnv(), signal, maxBuffer: MAX_OUTPUT });
}

async function gitOutput(repoDir: string, args: readonly string[], signal: AbortSignal | undefined): Promise<string> {
  const result = await runGit(repoDir, args, signal);
  if (result.exitCode !== 0) {
    throw new FlotillaError('external', `git ${args[0] ?? ''} failed: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`, {
      details: { args, exitCode: result.exitCode },
    });
  }
  if (result.stdout.length >= MAX_OUTPUT) {
    throw new FlotillaError('external', `git ${args[0] ?? ''} printed more than ${MAX_OUTPUT} characters; the change is too large to check`);
  }
  return result.stdout;
}

async function resolveCommit(repoDir: string, ref: string, signal: AbortSignal | undefined): Promise<string> {
  const result = await runGit(repoDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], signal);
  const commit = result.stdout.trim();
  if (result.exitCode !== 0 || !commit) throw badInput(`"${ref}" is not a commit in ${repoDir}`, { field: 'ref' }, { ref });
  return commit;
}

/** A file's text at a commit; `undefined` when the commit has no such file. */
async function readTextAt(repoDir: string, commit: string, file: string, signal: AbortSignal | undefined): Promise<string | undefined> {
  const result = await runGit(repoDir, ['cat-file', 'blob', `${commit}:${file}`], signal);
  if (result.exitCode === 0) return result.stdout;
  if (/does not exist|exists on disk, but not in|not a valid object name/i.test(result.stderr)) return undefined;
  throw new FlotillaError('external', `git could not read ${file} at ${commit}: ${result.stderr.trim()}`);
}

async function readJsonAt(repoDir: string, commit: string, file: string, signal: AbortSignal | undefined): Promise<unknown> {
  const text = await readTextAt(repoDir, commit, file, signal);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badInput(`${file} at ${commit.slice(0, 12)} is not valid JSON: ${(error as Error).message}`, { file });
  }
}

/** npm-shrinkwrap.json wins over package-lock.json, as in npm. */
async function readLockAt(repoDir: string, commit: string, signal: AbortSignal | undefined): Promise<unknown> {
  return (await readJsonAt(repoDir, commit, 'npm-shrinkwrap.json', signal)) ?? readJsonAt(repoDir, commit, 'package-lock.json', signal);
}

const PACKAGE_NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/i;

/** The licence in `node_modules/<name>/package.json`, when that exact version is installed there. */
async function installedLicence(repoDir: string, name: string, version: string): Promise<string | undefined> {
  if (!PACKAGE_NAME.test(name)) return undefined;
  const root = path.resolve(repoDir, 'node_modules');
  const file = path.resolve(root, name, 'package.json');
  if (!file.startsWith(root + path.sep)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
  if (!manifest || typeof manifest !== 'object') return undefined;
  const record = manifest as Record<string, unknown>;
  if (record.version !== version) return undefined;
  return normaliseLicence(record.license ?? record.licenses);
}

interface Numstat {
  path: string;
  previousPath?: string;
  added: number;
  removed: number;
  binary: boolean;
}

/** `git diff --numstat -z`: `added\tremoved\tpath\0`, or `added\tremoved\t\0old\0new\0` for a rename. */
export function parseNumstat(text: string): Numstat[] {
  const fields = text.split('\0');
  const entries: Numstat[] = [];
  for (let index = 0; index < fields.length; index += 1) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec((fields[index] ?? '').replace(/^\n/, ''));
    if (!match) continue;
    const binary = match[1] === '-';
    const counts = { added: binary ? 0 : Number(match[1]), removed: binary ? 0 : Number(match[2]), binary };
    if (match[3] !== '') {
      entries.push({ path: match[3] ?? '', ...counts });
      continue;
    }
    const previousPath = fields[index + 1] ?? '';
    const newPath = fields[index + 2] ?? '';
    index += 2;
    entries.push({ path: newPath, previousPath, ...counts });
  }
  return entries;
}

/** git's own counts win; a file numstat lists and the diff parse missed is added without hunks. */
function mergeCounts(files: FileChange[], counts: readonly Numstat[]): FileChange[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const entry of counts) {
    const file = byPath.get(entry.path);
    if (file) {
      file.added = entry.added;
      file.removed = entry.removed;
      file.binary ||= entry.binary;
      continue;
    }
    files.push({
      path: entry.path,
      ...(entry.previousPath ? { previousPath: entry.previousPath } : {}),
      status: entry.previousPath ? 'renamed' : 'modified',
      added: entry.added,
      removed: entry.removed,
      binary: entry.binary,
      hunks: [],
    });
  }
  return files;
}
