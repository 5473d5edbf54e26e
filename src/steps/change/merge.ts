import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { defineStep, type StepContext } from '../../sdk/step.js';
import type { PublishedChange } from '../../adapters/scm/scm.js';

/**
 * Lands the published change on the target's default branch. Before merging it looks whether the change
 * is already there (a retry after a crash), so a target is never merged twice; a change that does not
 * merge cleanly is refused with the conflicting files.
 */
export const changeMerge = defineStep({
  id: 'change/merge',
  description: 'Merges the published change into the default branch; refuses on conflict and says so.',
  kind: 'deliver',
  workspace: true,
  lands: 'merges',
  input: z.strictObject({
    message: z.string().min(1).optional(),
  }),
  output: z.strictObject({ merged: z.boolean(), commit: z.string(), alreadyMerged: z.boolean() }),
  examples: [{ title: 'Merge the change opened earlier in the path', with: {} }],
  async run(input, ctx) {
    const change = publishedChange(ctx);
    const message = input.message ?? `Merge ${change.branch}: ${ctx.campaign.change.title}`;
    const result = await ctx.scm.mergeChange({ workspace: ctx.workspace, change, baseBranch: ctx.baseBranch, message, signal: ctx.signal });
    ctx.log.info(result.alreadyMerged ? 'change was already merged' : 'change merged', { commit: result.commit });
    ctx.emit('change.merged', { branch: change.branch, commit: result.commit });
    return { merged: true, commit: result.commit, alreadyMerged: result.alreadyMerged };
  },
});

function publishedChange(ctx: StepContext): PublishedChange {
  for (const step of Object.values(ctx.steps)) {
    const { changeId, branch, commit, url } = step.outputs;
    if (typeof changeId === 'string' && changeId && typeof branch === 'string' && typeof commit === 'string') {
      return { id: changeId, branch, commit, ...(typeof url === 'string' ? { url } : {}) };
    }
  }
  throw new FlotillaError('bad-input', 'change/merge needs a change opened earlier in the path (a change/open step)');
}
