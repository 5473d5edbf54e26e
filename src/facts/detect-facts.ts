import { resolve } from 'node:path';
import { gitRaw } from '../git/git.js';
import { FlotillaError } from '../model/errors.js';
import type { TargetFacts, TargetSpec } from '../model/fleet.js';
import type { DetectedFacts, FactsCache } from './facts-cache.js';
import { isEcosystemFile, listDependencies } from '../ecosystems/list-dependencies.js';
import { isTestPath, topLanguages } from './languages.js';
import { isRepositoryUrl } from './repository-cache.js';
import { detectProjects } from './detect-projects.js';

/**
 * Reads a target's facts straight from its git objects at the branch's commit — no checkout, no
 * working tree, so it works the same on a developer's clone and on a bare mirror, and never sees
 * uncommitted files. What depends only on the commit's content is cached by commit.
 */

export interface DetectOptions {
  signal?: AbortSignal;
}

/** npm's placeholder script from `npm init`: it fails, it does not test anything. */
const NPM_DEFAULT_TEST = /no test specified/;

const LOCKFILES: readonly [file: string, manager: string][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The facts of a target. `repoPath` is where to read it (the local repository or its mirror, see
 * `resolveRepository`). A declared `test` command wins over the detected one and implies `hasTests`.
 */
export async function detectFacts(spec: TargetSpec, repoPath: string, cache?: FactsCache, options: DetectOptions = {}): Promise<TargetFacts> {
  const repo = isRepositoryUrl(spec.repo) ? spec.repo : resolve(repoPath);
  const branch = spec.branch ?? (await headBranch(repoPath, spec.name, options));
  const commit = await branchCommit(repoPath, branch, spec.name, options);
  const key = spec.path ? `${repo}#${spec.path}` : repo;
  let detected = cache?.get(key, commit);
  if (!detected) {
    detected = await detectAtCommit(repoPath, spec.path ? await projectTree(repoPath, commit, spec, options) : commit, options);
    cache?.set(key, commit, detected);
  }
  return {
    name: spec.name,
    repo,
    owner: spec.owner ?? '',
    tier: spec.tier,
    tags: [...spec.tags],
    defaultBranch: branch,
    commit,
    ...detected,
    hasTests: detected.hasTests || spec.test !== undefined,
    testCommand: spec.test ?? detected.testCommand,
    path: spec.path ?? '',
  };
}

/** The tree of a target's project folder at `commit` (what `detectAtCommit` reads for a monorepo project). */
async function projectTree(repoPath: string, commit: string, spec: TargetSpec, options: DetectOptions): Promise<string> {
  const result = await gitRaw(repoPath, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}:${spec.path ?? ''}`], options);
  if (result.exitCode !== 0 || !result.stdout.trim()) {
    throw new FlotillaError('bad-input', `target ${spec.name}: the repository has no folder ${spec.path ?? ''} on its default branch`, { details: { repo: repoPath } });
  }
  return result.stdout.trim();
}

/**
 * What the repository's content at `commit` tells: languages, dependencies, package manager, tests, and
 * the projects of a monorepo. `commit` may be any tree-ish, such as a project folder's tree.
 */
export async function detectAtCommit(repoPath: string, commit: string, options: DetectOptions = {}): Promise<DetectedFacts> {
  const files = await listFiles(repoPath, ['-r', commit], options);
  const root = new Set(await listFiles(repoPath, [commit], options));
  const manifest = root.has('package.json') ? await readPackageJson(repoPath, commit, options) : undefined;
  const scripts = recordOf(manifest?.scripts);
  const testScript = scripts.test;
  const hasTestScript = testScript !== undefined && testScript.trim() !== '' && !NPM_DEFAULT_TEST.test(testScript);
  const devDependencies = recordOf(manifest?.devDependencies);
  const ecosystem = await ecosystemDependencies(repoPath, commit, files, options);
  const split = await detectProjects(root, manifest, files, (file) => readText(repoPath, commit, file, options));
  return {
    ...(split ? { monorepo: split.kind, projects: split.projects } : {}),
    languages: topLanguages(files),
    packageManager: packageManagerOf(root, manifest),
    // Later kinds win, so a runtime dependency's range is the one shown when a name appears twice.
    // Maven, Gradle, Python and Go declarations first (keyed group:artifact, normalised name, module
    // path), so a package.json entry of the same name keeps the meaning it always had.
    dependencies: {
      ...ecosystem,
      ...devDependencies,
      ...recordOf(manifest?.peerDependencies),
      ...recordOf(manifest?.optionalDependencies),
      ...recordOf(manifest?.dependencies),
    },
    devDependencies,
    hasTests: hasTestScript || files.some(isTestPath),
    testCommand: hasTestScript ? 'npm test' : '',
  };
}

/** Build files read for ecosystem dependencies at most; a repository with more is a monorepo, read by its projects. */
const MAX_ECOSYSTEM_FILES = 100;
const VENDORED = /(^|\/)(node_modules|vendor|third_party|testdata)\//;

/** The dependencies declared in the Maven, Gradle, Python and Go build files at `commit`. */
async function ecosystemDependencies(repoPath: string, commit: string, files: readonly string[], options: DetectOptions): Promise<Record<string, string>> {
  const sources: { file: string; text: string }[] = [];
  for (const file of files.filter((path) => isEcosystemFile(path) && !VENDORED.test(path)).slice(0, MAX_ECOSYSTEM_FILES)) {
    const result = await gitRaw(repoPath, ['show', `${commit}:${file}`], options);
    if (result.exitCode === 0) sources.push({ file, text: result.stdout });
  }
  return listDependencies(sources);
}

/** The branch HEAD points at (a clone's checked-out branch, a mirror's default branch). */
export async function headBranch(repoPath: string, name: string, options: DetectOptions = {}): Promise<string> {
  const head = await gitRaw(repoPath, ['symbolic-ref', '--quiet', '--short', 'HEAD'], options);
  if (head.exitCode === 0 && head.stdout.trim()) return head.stdout.trim();
  const remote = await gitRaw(repoPath, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], options);
  if (remote.exitCode === 0 && remote.stdout.trim()) return remote.stdout.trim().replace(/^origin\//, '');
  throw new FlotillaError('bad-input', `target ${name}: cannot tell its default branch (HEAD is detached); set branch: in the fleet file`, {
    details: { repo: repoPath },
  });
}

async function branchCommit(repoPath: string, branch: string, name: string, options: DetectOptions): Promise<string> {
  for (const ref of [`refs/heads/${branch}`, branch]) {
    const result = await gitRaw(repoPath, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], options);
    if (result.exitCode === 0 && result.stdout.trim()) return result.stdout.trim();
  }
  throw new FlotillaError('not-found', `target ${name}: branch "${branch}" has no commit in ${repoPath}`, { details: { repo: repoPath, branch } });
}

/**
 * Tracked file paths at a commit. `-z` keeps unusual names unquoted. Output beyond exec's buffer is cut
 * at the front; the first entry may then be partial, which only nudges language counts.
 */
async function listFiles(repoPath: string, args: readonly string[], options: DetectOptions): Promise<string[]> {
  const result = await gitRaw(repoPath, ['ls-tree', '-z', '--name-only', ...args], options);
  if (result.exitCode !== 0) {
    throw new FlotillaError('external', `git ls-tree failed: ${result.stderr.trim()}`, { details: { repo: repoPath, args } });
  }
  return result.stdout.split('\0').filter((path) => path !== '');
}

interface PackageJson {
  scripts?: unknown;
  workspaces?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
  packageManager?: unknown;
}

/** The root package.json at `commit`; a malformed one counts as none (the target's own build will say so). */
async function readPackageJson(repoPath: string, commit: string, options: DetectOptions): Promise<PackageJson | undefined> {
  const result = await gitRaw(repoPath, ['show', `${commit}:package.json`], options);
  if (result.exitCode !== 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(result.stdout);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed) : undefined;
  } catch {
    return undefined;
  }
}

async function readText(repoPath: string, commit: string, file: string, options: DetectOptions): Promise<string | undefined> {
  const result = await gitRaw(repoPath, ['show', `${commit}:${file}`], options);
  return result.exitCode === 0 ? result.stdout : undefined;
}

function packageManagerOf(root: ReadonlySet<string>, manifest: PackageJson | undefined): string {
  for (const [file, manager] of LOCKFILES) if (root.has(file)) return manager;
  // Corepack's field (`"packageManager": "pnpm@9.1.0"`) names it when no lockfile is committed.
  if (typeof manifest?.packageManager === 'string') {
    const name = manifest.packageManager.split('@')[0] ?? '';
    if (['npm', 'yarn', 'pnpm'].includes(name)) return name;
  }
  return '';
}

/** The string entries of a JSON object (dependency maps, scripts); anything else is empty. */
function recordOf(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return record;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') record[key] = item;
  return record;
}
