import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { badInput } from '../../model/errors.js';
import { defineStep, skipRun } from '../../sdk/step.js';
import { readTextFile, trackedFilesMatching } from './tracked-files.js';

const input = z.strictObject({
  /** Globs (picomatch, relative to the repository root) of the tracked files to edit. */
  files: z.array(z.string().min(1)).min(1),
  /** The text to find, or a JavaScript regular expression when `regex` is true. */
  find: z.string().min(1),
  /** The replacement; with `regex`, `$1`, `$<name>` and `$&` refer to the match. */
  replace: z.string(),
  regex: z.boolean().default(false),
});

const output = z.strictObject({
  /** The files that changed, sorted. */
  files: z.array(z.string()),
  /** How many occurrences were replaced in them. */
  replacements: z.number().int().min(0),
});

/**
 * Replaces text in the repository's tracked files: literally by default (no character is special,
 * not even `$` in the replacement), or as a global regular expression. Files it cannot safely edit as
 * text (binary, not UTF-8, symlinks) are left alone, and untracked files are never touched.
 */
export const codemodReplace = defineStep({
  id: 'codemod/replace',
  description: 'Replaces every occurrence of a text or a regular expression in the tracked files that match some globs.',
  kind: 'change',
  workspace: true,
  input,
  output,
  examples: [
    {
      title: 'Rename an import',
      with: { files: ['src/**/*.ts'], find: "from 'old-logger'", replace: "from '@acme/logger'" },
    },
    {
      title: 'Move every image tag to a new registry',
      with: { files: ['**/Dockerfile', 'deploy/**/*.yaml'], find: 'old-registry\\.example/(\\w+)', replace: 'new-registry.example/$1', regex: true },
    },
  ],
  async run({ files: globs, find, replace, regex }, ctx) {
    const apply = regex ? regexReplacer(find, replace) : literalReplacer(find, replace);
    const changed: string[] = [];
    let replacements = 0;
    for (const file of await trackedFilesMatching(ctx.workspace, globs, ctx.signal)) {
      ctx.signal.throwIfAborted();
      const text = await readTextFile(ctx.workspace, file);
      if (text === undefined) continue;
      const result = apply(text);
      if (result.count === 0 || result.text === text) continue;
      await writeFile(join(ctx.workspace, file), result.text);
      changed.push(file);
      replacements += result.count;
    }
    if (changed.length === 0) {
      return skipRun(`codemod/replace matched nothing in ${globs.join(', ')}`, { files: [], replacements: 0 });
    }
    changed.sort();
    ctx.log.info('files rewritten', { files: changed.length, replacements });
    return { files: changed, replacements };
  },
});

type Replacer = (text: string) => { text: string; count: number };

function literalReplacer(find: string, replace: string): Replacer {
  return (text) => {
    const parts = text.split(find);
    return { text: parts.join(replace), count: parts.length - 1 };
  };
}

function regexReplacer(find: string, replace: string): Replacer {
  let pattern: RegExp;
  try {
    pattern = new RegExp(find, 'g');
  } catch (error) {
    throw badInput(`find is not a valid regular expression: ${(error as Error).message}`, { field: 'find' }, { find });
  }
  return (text) => {
    let count = 0;
    for (const _match of text.matchAll(pattern)) count++;
    return { text: count === 0 ? text : text.replace(pattern, replace), count };
  };
}
