import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Lang, parse, type SgNode } from '@ast-grep/napi';
import { z } from 'zod';
import { applyEdits, type TextEdit } from '../../ecosystems/text-edit.js';
import { badInput } from '../../model/errors.js';
import { defineStep, failRun, skipRun } from '../../sdk/step.js';
import { readTextFile, trackedFilesMatching } from './tracked-files.js';

/**
 * The languages @ast-grep/napi parses without extra packages. Others (Python, Go, Java …) need an
 * `@ast-grep/lang-*` package registered with `registerDynamicLanguage`, which Flotilla does not ship.
 */
const LANGUAGES = {
  typescript: { lang: Lang.TypeScript, globs: ['**/*.ts', '**/*.mts', '**/*.cts'] },
  tsx: { lang: Lang.Tsx, globs: ['**/*.tsx'] },
  javascript: { lang: Lang.JavaScript, globs: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'] },
  css: { lang: Lang.Css, globs: ['**/*.css'] },
  html: { lang: Lang.Html, globs: ['**/*.html', '**/*.htm'] },
} as const;

const input = z.strictObject({
  language: z.enum(Object.keys(LANGUAGES) as [keyof typeof LANGUAGES, ...(keyof typeof LANGUAGES)[]]),
  pattern: z.string().min(1).describe('an ast-grep pattern: code with metavariables ($X one node, $$$ARGS any number)'),
  rewrite: z.string().describe('what each match becomes; metavariables are replaced by the code they matched'),
  files: z.array(z.string().min(1)).min(1).optional().describe("globs of the tracked files to rewrite; default: the language's extensions"),
  expectChanges: z.boolean().default(false).describe('fail (instead of skip) a target where nothing matched'),
});

const output = z.strictObject({
  /** The files that changed, sorted. */
  files: z.array(z.string()),
  /** How many matches were rewritten. */
  matches: z.number().int().min(0),
});

/**
 * Rewrites code structurally with ast-grep: a pattern matches syntax, not text, so formatting and
 * comments around a match are kept and a match inside a string or comment is never touched. Only
 * tracked files are read; nested matches are rewritten once, at the outermost one.
 */
export const codemodAstGrep = defineStep({
  id: 'codemod/ast-grep',
  description: 'Rewrites code matching an ast-grep pattern (TypeScript, TSX, JavaScript, CSS, HTML) in the tracked files; skips, or fails with expectChanges, when nothing matched.',
  kind: 'change',
  workspace: true,
  input,
  output,
  examples: [
    { title: 'Replace console.log with a logger', with: { language: 'typescript', pattern: 'console.log($$$ARGS)', rewrite: 'logger.info($$$ARGS)' } },
    { title: 'A migration that must change every target', with: { language: 'javascript', pattern: 'require("old-lib")', rewrite: 'require("new-lib")', files: ['src/**/*.js'], expectChanges: true } },
  ],
  async run({ language, pattern, rewrite, files: globs, expectChanges }, ctx) {
    const { lang, globs: defaults } = LANGUAGES[language];
    const changed: string[] = [];
    let matches = 0;
    for (const file of await trackedFilesMatching(ctx.workspace, globs ?? defaults, ctx.signal)) {
      ctx.signal.throwIfAborted();
      const text = await readTextFile(ctx.workspace, file);
      if (text === undefined) continue;
      const edits = rewriteEdits(text, lang, pattern, rewrite);
      if (edits.length === 0) continue;
      const next = applyEdits(text, edits);
      if (next === text) continue;
      await writeFile(join(ctx.workspace, file), next);
      changed.push(file);
      matches += edits.length;
    }
    changed.sort();
    if (changed.length === 0) {
      const reason = `codemod/ast-grep: the pattern ${JSON.stringify(pattern)} matched nothing in ${(globs ?? defaults).join(', ')}`;
      return expectChanges ? failRun([`${reason}, and changes were expected`], { files: [], matches: 0 }) : skipRun(reason, { files: [], matches: 0 });
    }
    ctx.log.info('files rewritten', { files: changed.length, matches });
    return { files: changed, matches };
  },
});

/** The edits that rewrite every outermost match of `pattern` in `text`. */
export function rewriteEdits(text: string, lang: Lang, pattern: string, rewrite: string): TextEdit[] {
  let found: SgNode[];
  try {
    found = parse(lang, text).root().findAll(pattern);
  } catch (error) {
    throw badInput(`pattern is not a valid ast-grep pattern: ${(error as Error).message}`, { field: 'pattern' }, { pattern });
  }
  const edits: TextEdit[] = [];
  let covered = -1;
  for (const node of [...found].sort((a, b) => a.range().start.index - b.range().start.index)) {
    const { start, end } = node.range();
    if (start.index < covered) continue;
    edits.push({ start: start.index, end: end.index, text: expandTemplate(text, node, rewrite) });
    covered = end.index;
  }
  return edits;
}

/** Replaces `$X` and `$$$X` in the rewrite with the source text the pattern's metavariables matched. */
function expandTemplate(text: string, node: SgNode, rewrite: string): string {
  return rewrite.replace(/\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)/g, (all, many: string | undefined, one: string | undefined) => {
    if (many !== undefined) {
      const nodes = node.getMultipleMatches(many);
      const first = nodes[0];
      const last = nodes[nodes.length - 1];
      return first && last ? text.slice(first.range().start.index, last.range().end.index) : '';
    }
    const match = node.getMatch(one ?? '');
    if (!match) throw badInput(`rewrite uses ${all}, which the pattern does not bind`, { field: 'rewrite' }, { rewrite });
    return match.text();
  });
}
