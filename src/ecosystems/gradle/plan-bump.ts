import { parse } from 'smol-toml';
import type { FileEdits, SourceFile } from '../apply-plan.js';
import { PLAIN_VERSION, type BumpPlan } from '../bump-output.js';
import { lineOf } from '../text-edit.js';
import { tomlStrings } from '../toml-text.js';
import { catalogDeclarations } from './catalog.js';
import { scriptDeclarations } from './script-declarations.js';

/** One place a version of the dependency is written, found in a build script or a version catalog. */
export interface GradleDeclaration {
  file: string;
  /** Offsets of the version text in the file. */
  start: number;
  end: number;
  value: string;
  /** Where, for messages: `build.gradle:12`, `gradle/libs.versions.toml [versions] okhttp`. */
  where: string;
  /** Set when the declaration cannot be bumped, with the reason. */
  refused?: string;
}

/**
 * Plans a Gradle bump over the build scripts (`build.gradle`, `build.gradle.kts`) and version catalogs
 * (`gradle/*.versions.toml`) of a repository: string notation `"g:a:v"`, map notation
 * `group: 'g', name: 'a', version: 'v'`, and catalog libraries with an inline version or a
 * `version.ref` into `[versions]`.
 *
 * It refuses rather than guess when a version is a variable (`"g:a:$v"`), dynamic or rich (`1.+`,
 * `[1,2)`, `{ strictly = … }`), a `[versions]` entry is shared with another library or plugin, or the
 * declarations disagree on the current version.
 */
export function planGradleBump(files: readonly SourceFile[], group: string, artifact: string, version: string): BumpPlan<FileEdits> {
  const declarations: GradleDeclaration[] = [];
  for (const { file, text } of files) {
    if (file.endsWith('.toml')) {
      const catalog = parse(text);
      declarations.push(...catalogDeclarations(file, catalog, tomlStrings(text), group, artifact));
    } else {
      declarations.push(...scriptDeclarations(file, text, group, artifact));
    }
  }
  const first = declarations[0];
  if (!first) return { status: 'absent' };
  for (const declaration of declarations) {
    if (declaration.refused) return { status: 'refused', reason: declaration.refused, from: declaration.value };
    if (!PLAIN_VERSION.test(declaration.value)) {
      return { status: 'refused', reason: `${group}:${artifact} in ${declaration.where} is "${declaration.value}", a dynamic or rich version, not one version to move`, from: declaration.value };
    }
  }
  const conflicting = declarations.find((declaration) => declaration.value !== first.value);
  if (conflicting) {
    return {
      status: 'refused',
      reason: `${group}:${artifact} is declared at ${first.value} in ${first.where} and at ${conflicting.value} in ${conflicting.where}: decide which one by hand`,
      from: first.value,
    };
  }
  if (first.value === version) return { status: 'current', from: first.value };
  const edits: FileEdits = new Map();
  for (const declaration of declarations) {
    const list = edits.get(declaration.file) ?? [];
    list.push({ start: declaration.start, end: declaration.end, text: version });
    edits.set(declaration.file, list);
  }
  return { status: 'edit', from: first.value, edits };
}

/** `file:line`, for messages. */
export function placeOf(file: string, text: string, offset: number): string {
  return `${file}:${lineOf(text, offset)}`;
}
