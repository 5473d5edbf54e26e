import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import { applyPlan, readTrackedFiles } from '../../ecosystems/apply-plan.js';
import { bumpOutput } from '../../ecosystems/bump-output.js';
import { findExecutable } from '../../ecosystems/find-tool.js';
import { planGoBump } from '../../ecosystems/go/plan-bump.js';
import { FlotillaError } from '../../model/errors.js';
import { exec } from '../../process/exec.js';
import { defineStep, isEndRun } from '../../sdk/step.js';

const input = z.strictObject({
  package: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._~/-]*$/, 'must be a Go module path such as github.com/google/uuid')
    .describe("the module path, as in go.mod's require line"),
  version: z
    .string()
    .transform((value) => (value.startsWith('v') ? value : `v${value}`))
    .refine((value) => semver.valid(value.slice(1).replace(/\+incompatible$/, '')) !== null, 'must be a semantic version such as v1.6.0')
    .describe("the version to move to, with or without Go's leading v"),
});

/**
 * Bumps a Go module in the `require` lines of every go.mod, keeping the files byte-identical otherwise.
 * Where the go tool is on PATH it then runs `go mod tidy` (with GOTOOLCHAIN=local, so it never fetches
 * a toolchain) to update go.sum and the module graph, and go.mod is then as go writes it. Where go is
 * not installed only go.mod changes, and `notes` and the log say that go.sum was not updated.
 */
export const goBumpDependency = defineStep({
  id: 'go/bump-dependency',
  description:
    'Bumps a Go module in go.mod require lines (keeping the file byte-identical otherwise) and runs go mod tidy where go is installed; otherwise it says that go.sum was not updated.',
  kind: 'change',
  workspace: true,
  input,
  output: bumpOutput,
  examples: [{ title: 'Move every service to google/uuid v1.6.0', with: { package: 'github.com/google/uuid', version: 'v1.6.0' } }],
  async run({ package: path, version }, ctx) {
    const files = await readTrackedFiles(ctx.workspace, ['go.mod', '**/go.mod'], ctx.signal);
    const plan = planGoBump(files, path, version);
    const edited = plan.status === 'edit' ? [...plan.edits.keys()] : [];
    const go = await findExecutable('go', ctx.env);
    const notes = go
      ? []
      : edited.map((file) => `${posix.join(posix.dirname(file), 'go.sum')} was not updated: the go tool is not installed here; run \`go mod tidy\` in ${posix.dirname(file)}`);
    for (const note of notes) ctx.log.warn('go.sum was not updated', { note });
    const result = await applyPlan(ctx, path, version, files, plan, notes);
    if (isEndRun(result) || !go) return result;
    const changed = new Set(result.files);
    for (const file of edited) {
      const folder = posix.dirname(file);
      const sum = posix.join(folder, 'go.sum');
      const before = await readFile(join(ctx.workspace, sum), 'utf8').catch(() => undefined);
      const written = await readFile(join(ctx.workspace, file), 'utf8');
      const tidy = await exec(go, ['mod', 'tidy'], {
        cwd: join(ctx.workspace, folder),
        env: { ...ctx.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
        signal: ctx.signal,
        onOutput: (text) => ctx.log.output(text),
      });
      if (tidy.exitCode !== 0) {
        throw new FlotillaError('external', `go mod tidy failed in ${folder}: ${tidy.stderr.trim().split('\n').slice(-2).join(' | ')}`, { retryable: true });
      }
      if ((await readFile(join(ctx.workspace, sum), 'utf8').catch(() => undefined)) !== before) changed.add(sum);
      if ((await readFile(join(ctx.workspace, file), 'utf8')) !== written) ctx.log.info('go mod tidy also rewrote go.mod', { file });
    }
    return { ...result, files: [...changed].sort() };
  },
});
