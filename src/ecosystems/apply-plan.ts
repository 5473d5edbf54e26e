import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { needsHuman, skipRun, type EndRun, type StepContext } from '../sdk/step.js';
import { readTextFile, trackedFilesMatching } from '../steps/codemod/tracked-files.js';
import type { BumpOutput, BumpPlan } from './bump-output.js';
import { applyEdits, type TextEdit } from './text-edit.js';
import { compareLoose, versionBumpKind } from './version-kind.js';

export interface SourceFile {
  file: string;
  text: string;
}

/** Edits by workspace file. */
export type FileEdits = Map<string, TextEdit[]>;

/**
 * The tracked files of the workspace that match `globs`, as text. Only tracked files: a build file
 * that git ignores (generated, vendored) is not the team's to bump.
 */
export async function readTrackedFiles(workspace: string, globs: readonly string[], signal?: AbortSignal): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (const file of await trackedFilesMatching(workspace, globs, signal)) {
    const text = await readTextFile(workspace, file);
    if (text !== undefined) files.push({ file, text });
  }
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Turns a plan into the step's result, the same way for every ecosystem: not declared → `skipRun`;
 * refused → `needsHuman` with the reason (nothing is written); already there → `skipRun`; else the
 * edits are written and the output lists the files. `kind` says how far the bump goes.
 */
export async function applyPlan(
  ctx: StepContext,
  name: string,
  version: string,
  files: readonly SourceFile[],
  plan: BumpPlan<FileEdits>,
  notes: string[] = [],
): Promise<BumpOutput | EndRun<BumpOutput>> {
  const nothing = (from: string): BumpOutput => ({ package: name, from, to: version, kind: 'none', files: [], notes });
  if (plan.status === 'absent') return skipRun(`${name} is not a dependency of this target`, nothing(''));
  if (plan.status === 'refused') return needsHuman([plan.reason], nothing(plan.from));
  if (plan.status === 'current') return skipRun(`already at ${version}`, nothing(plan.from));
  if (plan.status === 'skip') return skipRun(plan.reason, nothing(plan.from));
  if (compareLoose(version, plan.from) === -1) ctx.log.warn('the bump moves the dependency to a lower version', { package: name, from: plan.from, to: version });
  const changed: string[] = [];
  for (const [file, edits] of plan.edits) {
    const source = files.find((item) => item.file === file);
    if (!source) continue;
    const text = applyEdits(source.text, edits);
    if (text === source.text) continue;
    await writeFile(join(ctx.workspace, file), text);
    changed.push(file);
  }
  changed.sort();
  ctx.log.info('build files updated', { package: name, from: plan.from, to: version, files: changed });
  return { package: name, from: plan.from, to: version, kind: versionBumpKind(plan.from, version), files: changed, notes };
}
