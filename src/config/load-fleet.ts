import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { gitRaw } from '../git/git.js';
import type { FlotillaError } from '../model/errors.js';
import { fleetSchema, type FleetSpec, type TargetSpec } from '../model/fleet.js';
import { badInputAt, formatFieldPath } from '../expr/site.js';
import { isRepositoryUrl, isUnsupportedUrl } from '../facts/repository-cache.js';
import { combineErrors, sortByLocation, zodIssuesToErrors } from './zod-issues.js';
import { parseYamlSource, positionOf, readYamlSource, type YamlSource } from './yaml-source.js';

/**
 * Loads `fleet.yaml`: the schema, unique target names, and every local repository checked to exist and
 * be a git repository, so that a typo in a path fails here, with its line, and not halfway through a
 * campaign. Local `repo` paths come back absolute (resolved from the fleet file's folder); URLs as written.
 */
export async function loadFleet(file: string): Promise<FleetSpec> {
  return checkFleet(await readYamlSource(file), file);
}

/** {@link loadFleet} over text in memory; relative repositories are resolved from `file`'s folder. */
export async function parseFleet(text: string, file: string): Promise<FleetSpec> {
  return checkFleet(parseYamlSource(text, file), file);
}

async function checkFleet(source: YamlSource, file: string): Promise<FleetSpec> {
  const parsed = fleetSchema.safeParse(source.value ?? {});
  if (!parsed.success) throw combineErrors(zodIssuesToErrors(parsed.error.issues, { source, schema: fleetSchema }));
  const dir = dirname(resolve(file));
  const errors: FlotillaError[] = [...duplicateNames(parsed.data.targets, source)];
  const targets = await Promise.all(
    parsed.data.targets.map(async (target, index) => {
      const problem = await repositoryProblem(target.repo, dir);
      if (problem) errors.push(errorAt(source, ['targets', index, 'repo'], problem));
      return isRepositoryUrl(target.repo) ? target : { ...target, repo: resolve(dir, target.repo) };
    }),
  );
  if (errors.length > 0) throw combineErrors(sortByLocation(errors));
  return { targets };
}

function duplicateNames(targets: readonly TargetSpec[], source: YamlSource): FlotillaError[] {
  const errors: FlotillaError[] = [];
  const first = new Map<string, number>();
  targets.forEach((target, index) => {
    const previous = first.get(target.name);
    if (previous === undefined) {
      first.set(target.name, index);
      return;
    }
    const lines = [previous, index].map((at) => positionOf(source, ['targets', at, 'name']).line);
    errors.push(errorAt(source, ['targets', index, 'name'], `duplicate target name "${target.name}" on lines ${lines.join(' and ')}`));
  });
  return errors;
}

/** Why `repo` cannot be used, or undefined when it can. */
async function repositoryProblem(repo: string, dir: string): Promise<string | undefined> {
  if (isRepositoryUrl(repo)) return undefined;
  if (isUnsupportedUrl(repo)) return `unsupported repository URL: ${repo} (use https://, ssh://, file:// or git@host:path)`;
  const path = resolve(dir, repo);
  try {
    if (!(await stat(path)).isDirectory()) return `not a git repository (a file): ${repo}`;
  } catch {
    return `repository not found: ${repo}${isAbsolute(repo) ? '' : ' (paths are relative to the fleet file)'}`;
  }
  const bare = await gitRaw(path, ['rev-parse', '--is-bare-repository']);
  if (bare.exitCode !== 0) return `not a git repository: ${repo}`;
  if (bare.stdout.trim() === 'true') return undefined;
  const top = await gitRaw(path, ['rev-parse', '--show-toplevel']);
  const [topReal, pathReal] = await Promise.all([realPath(top.stdout.trim()), realPath(path)]);
  if (topReal !== pathReal) return `not the root of a git repository: ${repo} (it is a folder inside ${top.stdout.trim()})`;
  return undefined;
}

async function realPath(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

function errorAt(source: YamlSource, path: readonly PropertyKey[], reason: string): FlotillaError {
  return badInputAt(reason, { file: source.file, ...positionOf(source, path), field: formatFieldPath(path) });
}
