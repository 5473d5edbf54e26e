import { z } from 'zod';
import { FlotillaError } from '../../model/errors.js';
import { git, gitRaw } from '../../git/git.js';
import { defineStep, skipRun } from '../../sdk/step.js';

/**
 * Undoes what another campaign merged into this target: finds the merge of `flotilla/<campaign>` on the
 * default branch and reverts it in the workspace (a change step: the revert is the change, opened and
 * merged like any other). `flotilla revert CAMPAIGN` runs it across the fleet.
 */
export const changeRevert = defineStep({
  id: 'change/revert',
  description: "Reverts another campaign's merged change on the default branch (used by flotilla revert).",
  kind: 'change',
  workspace: true,
  input: z.strictObject({ campaign: z.string().regex(/^[a-z0-9-]+$/) }),
  output: z.strictObject({ reverted: z.string(), change: z.string() }),
  examples: [{ title: 'Revert what bump-debug merged', with: { campaign: 'bump-debug' } }],
  async run(input, ctx) {
    const options = { signal: ctx.signal };
    // A monorepo project delivered one change per target has a branch of its own.
    const project = ctx.facts.path ? `flotilla/${input.campaign}/${ctx.facts.path}` : undefined;
    let branch = '';
    for (const candidate of [project, `flotilla/${input.campaign}`]) {
      if (!candidate) continue;
      const fetched = await gitRaw(ctx.workspace, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${candidate}:refs/flotilla/reverting`], options);
      if (fetched.exitCode === 0) {
        branch = candidate;
        break;
      }
    }
    if (!branch) return skipRun(`flotilla/${input.campaign} is not in the repository: nothing of ${input.campaign} to revert`, { reverted: '', change: '' });
    const change = await git(ctx.workspace, ['rev-parse', 'refs/flotilla/reverting'], options);
    const merges = await git(ctx.workspace, ['rev-list', '--merges', '--parents', 'HEAD'], options);
    const merge = merges
      .split('\n')
      .map((line) => line.split(' '))
      .find((parents) => parents[2] === change)?.[0];
    if (!merge) return skipRun(`${branch} was never merged into ${ctx.baseBranch}: nothing to revert`, { reverted: '', change });
    const reverted = await gitRaw(ctx.workspace, ['revert', '--no-commit', '-m', '1', merge], options);
    if (reverted.exitCode !== 0) {
      await gitRaw(ctx.workspace, ['revert', '--abort'], options);
      throw new FlotillaError('conflict', `the merge ${merge.slice(0, 10)} does not revert cleanly: ${reverted.stderr.trim().split('\n')[0] ?? ''}`);
    }
    ctx.log.info('reverted', { merge, change });
    return { reverted: merge, change };
  },
});
