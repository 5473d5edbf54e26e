import { z } from 'zod';
import { git } from '../../git/git.js';
import { defineStep, skipRun } from '../../sdk/step.js';

/**
 * Commits the change — exactly the tree the change steps produced, never what validation left behind —
 * on the branch `flotilla/<campaign>` and publishes it through the SCM adapter.
 *
 * The commit is deterministic (fixed identity, dates taken from the base commit), so a retry after a crash
 * makes the same commit and the same branch: there is never a second change for a target.
 */
export const changeOpen = defineStep({
  id: 'change/open',
  description: 'Commits the change on branch flotilla/<campaign> and publishes it to the target repository.',
  kind: 'deliver',
  workspace: true,
  lands: 'opens',
  input: z.strictObject({
    title: z.string().min(1).optional(),
    body: z.string().optional(),
  }),
  output: z.strictObject({
    changeId: z.string(),
    branch: z.string(),
    commit: z.string(),
    url: z.string().optional(),
  }),
  examples: [{ title: 'Open with the campaign title', with: {} }, { title: 'Open with a custom title', with: { title: 'chore: bump debug to 4.4.1' } }],
  async run(input, ctx) {
    const options = { signal: ctx.signal };
    const baseTree = await git(ctx.workspace, ['rev-parse', `${ctx.baseCommit}^{tree}`], options);
    const tree = ctx.changeTree ?? baseTree;
    const branch = ctx.changeBranch;
    if (tree === baseTree) {
      return skipRun('the change steps changed nothing in this target', { changeId: '', branch, commit: ctx.baseCommit });
    }
    const title = input.title ?? ctx.campaign.change.title;
    const body = input.body ?? ctx.campaign.change.body;
    const message = body ? `${title}\n\n${body}\n` : `${title}\n`;
    const date = await git(ctx.workspace, ['show', '-s', '--format=%cI', ctx.baseCommit], options);
    const commit = await git(ctx.workspace, ['commit-tree', tree, '-p', ctx.baseCommit, '-F', '-'], {
      ...options,
      input: message,
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    const published = await ctx.checkpoint('published', () =>
      ctx.scm.publishChange({ workspace: ctx.workspace, branch, commit, baseBranch: ctx.baseBranch, title, body, signal: ctx.signal }),
    );
    ctx.log.info('change published', { branch: published.branch, commit: published.commit });
    ctx.emit('change.opened', { branch: published.branch, commit: published.commit });
    return { changeId: published.id, branch: published.branch, commit: published.commit, ...(published.url ? { url: published.url } : {}) };
  },
});
