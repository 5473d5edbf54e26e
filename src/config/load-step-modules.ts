import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { register, type NamespacedUnregister } from 'tsx/esm/api';
import { z } from 'zod';
import { campaignSchema } from '../model/campaign.js';
import { errorMessage, type FlotillaError } from '../model/errors.js';
import type { AnyStep } from '../sdk/step.js';
import { badInputAt, locationAt } from '../expr/site.js';
import { siteAt, type YamlSource } from './yaml-source.js';
import { combineErrors, zodIssuesToErrors } from './zod-issues.js';

/**
 * A campaign's own steps: the modules its `load:` names, imported before the campaign is checked, so
 * its steps are checked (typed `with`, outputs, templates) exactly like built-in ones.
 *
 * An entry starting with `./`, `../` or `/` is a file or a glob relative to the campaign file; anything
 * else is an npm package, resolved from the campaign's folder. Files are imported with tsx, so they may
 * be TypeScript. A module's imports (`flotilla/sdk`, `zod`) resolve from its own folder, as Node's do.
 * Every export of a step module must be a step made with `defineStep`: a stray export is reported, not
 * silently dropped, so a typo in a step never makes it vanish from the catalogue.
 */

const loadSchema = campaignSchema.shape.load.unwrap();
const MODULE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;
/** A glob picks modules, not their tests or type declarations. */
const NOT_A_MODULE = /\.(?:spec|test)\.[cm]?[jt]s$|\.d\.[cm]?ts$/;
const PACKAGE = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(?:\/[\w.~/-]+)?$/i;
const STEP_ID = /^[a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)*$/;

const zodSchema = z.custom<z.ZodType>(
  (value) => typeof value === 'object' && value !== null && '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function',
  { message: 'must be a zod 4 schema, such as z.strictObject({ … })' },
);

const stepShape = z.object({
  id: z.string().regex(STEP_ID, 'must be lower-case words joined by - or /, such as acme/notify'),
  description: z.string().min(1),
  kind: z.enum(['change', 'validate', 'deliver', 'control']),
  workspace: z.boolean(),
  lands: z.enum(['opens', 'merges']).optional(),
  input: zodSchema,
  output: zodSchema,
  examples: z.array(z.object({ title: z.string().min(1), with: z.unknown() })),
  run: z.custom<AnyStep['run']>((value) => typeof value === 'function', { message: 'must be a function run(input, ctx)' }),
});

interface ModuleRef {
  /** As shown to the user: the path relative to the campaign folder, or the package name. */
  display: string;
  specifier: string;
  entry: number;
}

/**
 * Imports the campaign's step modules and returns their steps. Every problem — an entry that matches no
 * file, a module that throws when imported, an export that is not a step, an id that clashes with a
 * built-in or another module's step — is a `bad-input` error at the `load:` entry, and all are reported
 * at once; the campaign does not start.
 */
export async function loadStepModules(source: YamlSource, campaignFile: string, registry: ReadonlyMap<string, AnyStep>): Promise<AnyStep[]> {
  const written = (source.value as { load?: unknown } | null)?.load;
  if (written === undefined) return [];
  const parsed = loadSchema.safeParse(written);
  if (!parsed.success) throw combineErrors(zodIssuesToErrors(parsed.error.issues, { source, schema: loadSchema, pathPrefix: ['load'] }));
  const dir = resolve(campaignFile, '..');
  const errors: FlotillaError[] = [];
  const at = (entry: number, reason: string): number => errors.push(badInputAt(reason, locationAt(siteAt(source, ['load', entry]))));

  const modules: ModuleRef[] = [];
  const seenFiles = new Set<string>();
  for (const [entry, pattern] of parsed.data.entries()) {
    const found = await resolveEntry(pattern, dir);
    if (typeof found === 'string') at(entry, found);
    for (const ref of typeof found === 'string' ? [] : found) {
      if (seenFiles.has(ref.specifier)) continue;
      seenFiles.add(ref.specifier);
      modules.push({ ...ref, entry });
    }
  }

  const steps: AnyStep[] = [];
  const owners = new Map<string, string>();
  const parentURL = pathToFileURL(resolve(campaignFile)).href;
  for (const ref of modules) {
    let namespace: Record<string, unknown>;
    try {
      namespace = (await importer().import(ref.specifier, parentURL)) as Record<string, unknown>;
    } catch (error) {
      at(ref.entry, `cannot load ${ref.display}: ${firstLine(errorMessage(error))}${missingPackageHint(error)}`);
      continue;
    }
    const exported = stepExports(namespace);
    if (exported.length === 0) at(ref.entry, `${ref.display} exports no step; export steps made with defineStep from flotilla/sdk`);
    for (const { name, value } of exported) {
      const problem = stepProblem(value);
      if (problem) {
        at(ref.entry, `${ref.display}: export "${name}" ${problem}`);
        continue;
      }
      const step = value as AnyStep;
      const owner = owners.get(step.id);
      if (registry.has(step.id)) at(ref.entry, `${ref.display}: export "${name}" has the id "${step.id}" of a built-in step; give it an id of its own, such as acme/${step.id.split('/').pop() ?? step.id}`);
      else if (owner !== undefined) at(ref.entry, `${ref.display}: export "${name}" has the id "${step.id}", already used by ${owner}`);
      else {
        owners.set(step.id, `${ref.display} (export "${name}")`);
        steps.push(step);
      }
    }
  }
  if (errors.length > 0) throw combineErrors(errors);
  return steps;
}

/** The registry a campaign with its own steps is checked against. */
export function withCampaignSteps(registry: ReadonlyMap<string, AnyStep>, steps: readonly AnyStep[]): ReadonlyMap<string, AnyStep> {
  if (steps.length === 0) return registry;
  return new Map([...registry, ...steps.map((step): [string, AnyStep] => [step.id, step])]);
}

/**
 * `load:` needs a folder to load from; a campaign parsed from text (the API, tests) has none, so it is
 * refused rather than checked without its steps.
 */
export function refuseStepModules(source: YamlSource): void {
  const written = (source.value as { load?: unknown } | null)?.load;
  if (Array.isArray(written) && written.length > 0) {
    throw badInputAt('load: needs the campaign to be read from its file (loadCampaign), to find the modules from its folder', locationAt(siteAt(source, ['load'])));
  }
}

async function resolveEntry(pattern: string, dir: string): Promise<Omit<ModuleRef, 'entry'>[] | string> {
  const isPath = pattern.startsWith('./') || pattern.startsWith('../') || isAbsolute(pattern);
  const scan = picomatch.scan(pattern);
  if (!isPath) {
    if (scan.isGlob || !PACKAGE.test(pattern)) return `"${pattern}" is neither a path (start it with ./) nor an npm package name`;
    return [{ display: pattern, specifier: pattern }];
  }
  if (!scan.isGlob) {
    const file = resolve(dir, pattern);
    if (!existsSync(file)) return `file not found: ${displayPath(dir, file)}`;
    return [{ display: displayPath(dir, file), specifier: pathToFileURL(file).href }];
  }
  const base = resolve(dir, scan.prefix + scan.base);
  const matches = picomatch(scan.glob);
  let files: string[];
  try {
    files = await readdir(base, { recursive: true });
  } catch {
    return `"${pattern}" matches no file: ${displayPath(dir, base)} is not a folder`;
  }
  const picked = files
    .map((file) => file.split(sep).join('/'))
    .filter((file) => matches(file) && MODULE_FILE.test(file) && !NOT_A_MODULE.test(file) && !file.split('/').some((part) => part === 'node_modules' || part.startsWith('.')))
    .sort();
  if (picked.length === 0) return `"${pattern}" matches no module file (.ts, .js, .mts, .mjs, .cts, .cjs)`;
  return picked.map((file) => ({ display: displayPath(dir, resolve(base, file)), specifier: pathToFileURL(resolve(base, file)).href }));
}

/** The named exports, and the default one unless it is one of them; a CommonJS build's exports object is opened. */
function stepExports(namespace: Record<string, unknown>): { name: string; value: unknown }[] {
  let entries = Object.entries(namespace);
  const fallback = namespace.default;
  if (isInteropObject(fallback)) entries = Object.entries(fallback).filter(([name]) => name !== '__esModule');
  const seen = new Set<unknown>();
  const exported: { name: string; value: unknown }[] = [];
  for (const [name, value] of entries.sort(([a], [b]) => Number(a === 'default') - Number(b === 'default'))) {
    if (name === '__esModule' || seen.has(value)) continue;
    seen.add(value);
    exported.push({ name, value });
  }
  return exported;
}

/** `module.exports` of an ES module compiled to CommonJS, seen from `import`: `{ __esModule: true, … }`. */
function isInteropObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { __esModule?: unknown }).__esModule === true;
}

/** Why a value is not a usable step, or undefined. */
function stepProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value || 'run' in value)) {
    return 'is not a step definition: a step module exports only steps made with defineStep from flotilla/sdk';
  }
  const shape = stepShape.safeParse(value);
  if (!shape.success) {
    return `is not a valid step: ${shape.error.issues.map((issue) => `${issue.path.join('.') || 'step'} ${issue.message}`).join('; ')}`;
  }
  for (const [index, example] of shape.data.examples.entries()) {
    const result = shape.data.input.safeParse(example.with);
    const issue = result.success ? undefined : result.error.issues[0];
    if (issue) return `has an example its input refuses: examples[${index}].with${issue.path.map((key) => `.${String(key)}`).join('')}: ${issue.message}`;
  }
  return undefined;
}

function missingPackageHint(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return '';
  return '. A step module resolves its imports from its own folder: install flotilla and zod (and what else it imports) where the campaign is, such as npm install --save-dev flotilla zod';
}

function displayPath(dir: string, file: string): string {
  const path = relative(dir, file).split(sep).join('/');
  return path === '' ? '.' : path;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

let scoped: NamespacedUnregister | undefined;

/**
 * One tsx registration for the whole process: Node cannot remove module hooks, so registering per load
 * would lengthen the hook chain with every campaign a long-running server loads. The price is the
 * module cache: a module already imported in this process is not imported again.
 */
function importer(): NamespacedUnregister {
  scoped ??= register({ namespace: `flotilla-steps-${randomUUID()}` });
  return scoped;
}
