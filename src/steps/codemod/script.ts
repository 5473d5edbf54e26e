import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { exec, execShell, type ExecResult } from '../../process/exec.js';
import { defineStep, failRun, skipRun, type StepContext } from '../../sdk/step.js';
import { failureSummary } from '../run/run.js';

const input = z
  .strictObject({
    command: z.string().min(1).optional().describe('a shell command line run in the workspace'),
    /**
     * An absolute path, a path relative to where flotilla runs, or a package name. Its export is called in a
     * child process whose working directory is the workspace, with `{ workspace, target }` (the target's facts).
     */
    module: z.string().min(1).optional().describe('a JavaScript module whose export is called with { workspace, target }'),
    export: z.string().min(1).optional().describe('the export of module to call; default: default'),
    expectChanges: z.boolean().default(false).describe('fail (instead of skip) a target where the script changed nothing'),
  })
  .refine((value) => (value.command === undefined) !== (value.module === undefined), { message: 'give either command or module' })
  .refine((value) => value.export === undefined || value.module !== undefined, { message: 'export needs module', path: ['export'] });

const output = z.strictObject({
  /** The files the script added, changed or deleted, sorted. */
  files: z.array(z.string()),
});

/** The child script that imports the module and calls its export (top-level await, ESM). */
const RUNNER = `const m = await import(process.env.FLOTILLA_CODEMOD_MODULE);
const name = process.env.FLOTILLA_CODEMOD_EXPORT;
const fn = m[name];
if (typeof fn !== 'function') { console.error('the module has no function export named ' + name); process.exit(64); }
await fn({ workspace: process.cwd(), target: JSON.parse(process.env.FLOTILLA_CODEMOD_TARGET) });`;

/**
 * Runs a codemod script — a command or a JavaScript module's export — in the workspace and reports
 * what it changed. The change is measured as the difference of two trees of the whole work tree taken
 * with a private index (before and after), which sees what `git status --porcelain` sees and also a
 * file changed again that an earlier change step had already changed; the run's own index is not
 * touched. Ignored files (build output) never count.
 */
export const codemodScript = defineStep({
  id: 'codemod/script',
  description: 'Runs a codemod command or JavaScript module in the workspace and reports the files it changed; skips, or fails with expectChanges, when it changed nothing.',
  kind: 'change',
  workspace: true,
  input,
  output,
  examples: [
    { title: 'Run a shell codemod', with: { command: "sed -i 's/old-lib/new-lib/g' package.json" } },
    { title: 'Call a module that must change every target', with: { module: './codemods/rename-logger.mjs', export: 'migrate', expectChanges: true } },
  ],
  async run(options, ctx) {
    const before = await worktreeTree(ctx);
    const exported = options.export ?? 'default';
    const result = options.command !== undefined ? await runCommand(options.command, ctx) : await runModule(options.module ?? '', exported, ctx);
    if (result.exitCode !== 0) {
      const what = options.command !== undefined ? `\`${options.command}\`` : `${options.module ?? ''}#${exported}`;
      const tail = failureSummary(`${result.stdout}\n${result.stderr}`);
      throw new FlotillaError('step-failed', `${what} exited with code ${result.exitCode}${tail ? `: ${tail}` : ''}`, { details: { exitCode: result.exitCode } });
    }
    const after = await worktreeTree(ctx);
    const changed = before === after ? [] : (await git(ctx.workspace, ['diff-tree', '-r', '--name-only', '--no-renames', '-z', before, after], { signal: ctx.signal })).split('\0').filter(Boolean).sort();
    if (changed.length === 0) {
      const reason = 'codemod/script changed nothing';
      return options.expectChanges ? failRun([`${reason}, and changes were expected`], { files: [] }) : skipRun(reason, { files: [] });
    }
    ctx.log.info('codemod changed files', { files: changed.length });
    return { files: changed };
  },
});

function runCommand(command: string, ctx: StepContext): Promise<ExecResult> {
  return execShell(command, { cwd: ctx.workspace, env: { ...ctx.env, CI: 'true' }, signal: ctx.signal, onOutput: (text) => ctx.log.output(text) });
}

function runModule(module: string, name: string, ctx: StepContext): Promise<ExecResult> {
  const specifier = isAbsolute(module) || module.startsWith('.') ? pathToFileURL(resolve(module)).href : module;
  return exec(process.execPath, ['--input-type=module', '-e', RUNNER], {
    cwd: ctx.workspace,
    env: {
      ...ctx.env,
      CI: 'true',
      FLOTILLA_CODEMOD_MODULE: specifier,
      FLOTILLA_CODEMOD_EXPORT: name,
      FLOTILLA_CODEMOD_TARGET: JSON.stringify(ctx.facts),
    },
    signal: ctx.signal,
    onOutput: (text) => ctx.log.output(text),
  });
}

/** The tree of the whole work tree (tracked and untracked, ignored files left out), via a copy of the index. */
async function worktreeTree(ctx: StepContext): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'flotilla-index-'));
  const index = join(folder, 'index');
  try {
    const current = resolve(ctx.workspace, await git(ctx.workspace, ['rev-parse', '--git-path', 'index'], { signal: ctx.signal }));
    await copyFile(current, index).catch(() => undefined);
    const options = { signal: ctx.signal, env: { GIT_INDEX_FILE: index } };
    await git(ctx.workspace, ['add', '--all', '--', '.'], options);
    return await git(ctx.workspace, ['write-tree'], options);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
