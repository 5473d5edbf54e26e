import type { FileEdits, SourceFile } from '../apply-plan.js';
import type { BumpPlan } from '../bump-output.js';
import { pyprojectDeclarations, requirementsDeclarations, type PythonDeclaration } from './declarations.js';
import { normalizeName } from './requirement.js';

/**
 * Plans a Python bump over requirements files and pyproject.toml files. Every declaration with a
 * version moves (pins stay pins, floors stay floors, upper bounds stay when the new version is below
 * them); unpinned declarations allow any version and are left alone. Exact pins that disagree, or any
 * declaration that cannot be moved, refuse the whole bump with the reason.
 */
export function planPythonBump(files: readonly SourceFile[], name: string, version: string): BumpPlan<FileEdits> {
  const normalized = normalizeName(name);
  const declarations: PythonDeclaration[] = [];
  for (const file of files) {
    const isPyproject = file.file === 'pyproject.toml' || file.file.endsWith('/pyproject.toml');
    declarations.push(...(isPyproject ? pyprojectDeclarations(file, normalized, version) : requirementsDeclarations(file, normalized, version)));
  }
  if (declarations.length === 0) return { status: 'absent' };
  for (const declaration of declarations) {
    if (declaration.bump.status === 'refused') return { status: 'refused', reason: declaration.bump.reason, from: declaration.bump.from };
  }
  const pins = declarations.filter((item) => item.pinned && item.bump.status === 'edit');
  const pinFrom = (item: PythonDeclaration | undefined): string => (item?.bump.status === 'edit' ? item.bump.from : '');
  const firstPin = pins[0];
  const conflicting = pins.find((item) => pinFrom(item) !== pinFrom(firstPin));
  if (firstPin && conflicting) {
    return {
      status: 'refused',
      reason: `${name} is pinned at ${pinFrom(firstPin)} in ${firstPin.where} and at ${pinFrom(conflicting)} in ${conflicting.where}: decide which one by hand`,
      from: pinFrom(firstPin),
    };
  }
  const edits: FileEdits = new Map();
  let from = pinFrom(firstPin);
  let changes = 0;
  for (const declaration of declarations) {
    const bump = declaration.bump;
    if (bump.status !== 'edit') continue;
    from ||= bump.from;
    const source = files.find((file) => file.file === declaration.file);
    if (source?.text.slice(bump.start, bump.end) === bump.text) continue;
    changes++;
    const list = edits.get(declaration.file) ?? [];
    list.push({ start: bump.start, end: bump.end, text: bump.text });
    edits.set(declaration.file, list);
  }
  if (from === '') return { status: 'skip', reason: `${name} is not pinned here: any version, ${version} included, is already allowed`, from: '' };
  if (changes === 0) return { status: 'current', from };
  return { status: 'edit', from, edits };
}
