import { z } from 'zod';

/**
 * Change facts: a structured description of one change (one run), built from the diff and the
 * repository's metadata only. Every compliance check and every policy rule reads these facts and
 * nothing else, so the checks never need (or get) the target's code to run.
 */

export const fileStatusSchema = z.enum(['added', 'modified', 'deleted', 'renamed']);
export type FileStatus = z.infer<typeof fileStatusSchema>;

/** One line the change adds, with its line number in the new version of the file (1-based). */
export const addedLineSchema = z.object({
  line: z.number().int().min(1),
  text: z.string(),
});
export type AddedLine = z.infer<typeof addedLineSchema>;

/** One hunk of a unified diff: its `@@ -oldStart,oldLines +newStart,newLines @@` header and added lines. */
export const hunkSchema = z.object({
  oldStart: z.number().int().min(0),
  oldLines: z.number().int().min(0),
  newStart: z.number().int().min(0),
  newLines: z.number().int().min(0),
  added: z.array(addedLineSchema),
});
export type Hunk = z.infer<typeof hunkSchema>;

export const fileChangeSchema = z.object({
  /** The path after the change (for a deleted file: the path it had). */
  path: z.string().min(1),
  /** The path before a rename. */
  previousPath: z.string().min(1).optional(),
  status: fileStatusSchema,
  /** Lines added and removed (0 for a binary file). */
  added: z.number().int().min(0),
  removed: z.number().int().min(0),
  binary: z.boolean(),
  hunks: z.array(hunkSchema),
});
export type FileChange = z.infer<typeof fileChangeSchema>;

export const semverKindSchema = z.enum(['major', 'minor', 'patch', 'prerelease', 'none']);
/** How far a version moved: `none` for an added or removed dependency, or when it cannot be told. */
export type SemverKind = z.infer<typeof semverKindSchema>;

export const dependencyChangeSchema = z.object({
  ecosystem: z.literal('npm'),
  name: z.string().min(1),
  change: z.enum(['added', 'removed', 'changed']),
  /** The version before (absent when added). A package.json range when there is no lockfile. */
  from: z.string().min(1).optional(),
  /** The version after (absent when removed). A package.json range when there is no lockfile. */
  to: z.string().min(1).optional(),
  kind: semverKindSchema,
  /** The SPDX expression (or whatever text the package declares) of the version after the change. */
  licence: z.string().min(1).optional(),
  /** Declared in package.json (and installed at the top level), as opposed to pulled in by another package. */
  direct: z.boolean(),
  /** Only needed for development (the lockfile's `dev` flag, or a devDependency). */
  dev: z.boolean(),
});
export type DependencyChange = z.infer<typeof dependencyChangeSchema>;

/** The target's facts a policy may use; `tier` follows fleet.yaml (0 = most critical … 3). */
export const changeTargetSchema = z.object({
  name: z.string().min(1),
  owner: z.string().optional(),
  tier: z.number().int().min(0).max(3).optional(),
  tags: z.array(z.string()).default([]),
});
export type ChangeTarget = z.infer<typeof changeTargetSchema>;

export const changeFactsSchema = z.object({
  files: z.array(fileChangeSchema),
  dependencies: z.array(dependencyChangeSchema),
  target: changeTargetSchema,
  campaign: z.object({ name: z.string().min(1) }),
  /** The time of the check (ISO 8601 with an offset); injected, so checks never read the clock. */
  now: z.iso.datetime({ offset: true }),
  /** The CODEOWNERS text of the base (so a change cannot rewrite its own owners), when the repository has one. */
  codeowners: z.string().optional(),
});
export type ChangeFacts = z.infer<typeof changeFactsSchema>;

/** Totals over the files of a change, optionally leaving some paths out. */
export function changeTotals(
  files: readonly FileChange[],
  include: (path: string) => boolean = () => true,
): { files: number; added: number; removed: number } {
  let count = 0;
  let added = 0;
  let removed = 0;
  for (const file of files) {
    if (!include(file.path)) continue;
    count += 1;
    added += file.added;
    removed += file.removed;
  }
  return { files: count, added, removed };
}
