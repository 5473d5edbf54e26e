import { z } from 'zod';
import { defineStep } from '../../sdk/step.js';
import { git } from '../../git/git.js';
import { isWorkspaceReady, resetWorkspaceDir } from '../../workspace/workspace.js';

/**
 * Prepares the run's isolated workspace: a fresh clone of the target at the run's base commit. The engine
 * implies this step before the first step that needs a workspace. A clone left half-made by a crash is
 * thrown away and made again; a complete one is kept, so a resumed run keeps its work.
 */
export const gitCheckout = defineStep({
  id: 'git/checkout',
  description: 'Clones the target into an isolated workspace at the base commit (hooks never run).',
  kind: 'control',
  workspace: true,
  input: z.strictObject({}),
  output: z.strictObject({ commit: z.string(), branch: z.string() }),
  examples: [{ title: 'Explicit checkout (usually implied)', with: {} }],
  async run(_input, ctx) {
    if (!(await isWorkspaceReady(ctx.workspace))) {
      await resetWorkspaceDir(ctx.workspace);
      await ctx.scm.checkout({ workspace: ctx.workspace, branch: ctx.baseBranch, signal: ctx.signal });
      await git(ctx.workspace, ['reset', '--quiet', '--hard', ctx.baseCommit], { signal: ctx.signal });
      ctx.log.info('workspace ready', { commit: ctx.baseCommit });
    } else {
      ctx.log.info('workspace kept from an earlier attempt');
    }
    return { commit: ctx.baseCommit, branch: ctx.baseBranch };
  },
});
