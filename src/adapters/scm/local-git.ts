import { FlotillaError } from '../../model/errors.js';
import { git, gitRaw } from '../../git/git.js';
import type { CheckoutRequest, CloseRequest, MergeRequest, MergeResult, PublishedChange, PublishRequest, ScmAdapter } from './scm.js';

/**
 * The reference SCM adapter: the target's repository is any git remote (a local path, a file:// or
 * ssh/https URL); a change is a branch pushed to it; landing is a merge commit pushed to the base branch.
 *
 * A local repository whose base branch is checked out refuses a push to that branch; there the merge
 * commit is pushed to a private ref and the repository fast-forwards to it itself (its hooks disabled).
 */
export class LocalGitScm implements ScmAdapter {
  readonly kind = 'local-git';

  /** Extra push arguments: for a repository on this machine, its receive hooks are disabled too. */
  private readonly pushArgs: string[];

  constructor(private readonly repo: string) {
    const isLocal = !/^[a-z][a-z0-9+.-]*:\/\//i.test(repo) || repo.startsWith('file://');
    const scpLike = /^[^/]+@[^/]+:/.test(repo);
    // A local push runs the target's pre-receive/update/post-receive hooks in a receive-pack that does not
    // inherit our configuration; start that receive-pack with hooks disabled.
    this.pushArgs = isLocal && !scpLike ? ['--receive-pack=git -c core.hooksPath=/dev/null receive-pack'] : [];
  }

  async checkout(request: CheckoutRequest): Promise<{ commit: string }> {
    const options = request.signal ? { signal: request.signal } : {};
    await git(process.cwd(), ['clone', '--quiet', '--template=', '--no-tags', '--single-branch', '--branch', request.branch, this.repo, request.workspace], options);
    return { commit: await git(request.workspace, ['rev-parse', 'HEAD'], options) };
  }

  async publishChange(request: PublishRequest): Promise<PublishedChange> {
    const options = request.signal ? { signal: request.signal } : {};
    // Forced: the branch is ours, and a re-published change replaces the previous commit of the same run.
    await git(request.workspace, ['push', ...this.pushArgs, '--quiet', '--force', 'origin', `${request.commit}:refs/heads/${request.branch}`], options);
    return { id: request.branch, branch: request.branch, commit: request.commit };
  }

  /**
   * Merges, and when the base branch moves under it (another change of the same repository landing at
   * the same moment) merges again onto the new base, a few times, before giving up.
   */
  async mergeChange(request: MergeRequest): Promise<MergeResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.mergeOnce(request);
      } catch (error) {
        const moved = error instanceof FlotillaError && error.code === 'conflict' && error.retryable;
        if (!moved || attempt >= 5 || request.signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }

  private async mergeOnce(request: MergeRequest): Promise<MergeResult> {
    const options = request.signal ? { signal: request.signal } : {};
    const { workspace, change, baseBranch } = request;
    await git(workspace, ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${baseBranch}:refs/remotes/origin/${baseBranch}`], options);
    const base = await git(workspace, ['rev-parse', `refs/remotes/origin/${baseBranch}`], options);
    const contained = await gitRaw(workspace, ['merge-base', '--is-ancestor', change.commit, base], options);
    if (contained.exitCode === 0) return { commit: base, alreadyMerged: true };

    const merged = await gitRaw(workspace, ['merge-tree', '--write-tree', '--name-only', '--no-messages', base, change.commit], options);
    if (merged.exitCode !== 0) {
      const files = merged.stdout.trim().split('\n').slice(1).filter(Boolean);
      throw new FlotillaError('conflict', `the change does not merge cleanly into ${baseBranch}${files.length ? `: conflict in ${files.join(', ')}` : ''}`, {
        details: { files },
      });
    }
    const tree = merged.stdout.trim().split('\n')[0] ?? '';
    const commit = await git(workspace, ['commit-tree', tree, '-p', base, '-p', change.commit, '-m', request.message], options);
    await this.pushToBase(workspace, commit, base, baseBranch, options);
    return { commit, alreadyMerged: false };
  }

  async closeChange(request: CloseRequest): Promise<void> {
    const options = request.signal ? { signal: request.signal } : {};
    // Deleting a branch that is already gone is fine: closing is idempotent.
    await gitRaw(request.workspace, ['push', ...this.pushArgs, '--quiet', 'origin', '--delete', `refs/heads/${request.change.branch}`], options);
  }

  private async pushToBase(workspace: string, commit: string, base: string, baseBranch: string, options: { signal?: AbortSignal }): Promise<void> {
    const pushed = await gitRaw(workspace, ['push', ...this.pushArgs, '--quiet', 'origin', `${commit}:refs/heads/${baseBranch}`], options);
    if (pushed.exitCode === 0) return;
    if (/non-fast-forward|fetch first|rejected/.test(pushed.stderr) && !/checked out/.test(pushed.stderr)) {
      throw new FlotillaError('conflict', `${baseBranch} moved while the change was being merged; it will be merged again on the new ${baseBranch}`, {
        retryable: true,
      });
    }
    if (!/checked out/.test(pushed.stderr)) {
      throw new FlotillaError('external', `git push failed: ${pushed.stderr.trim().split('\n').slice(-2).join(' | ')}`, { retryable: true });
    }
    // The base branch is checked out in a local repository: let it fast-forward itself.
    const incoming = `refs/flotilla/incoming/${commit}`;
    await git(workspace, ['push', ...this.pushArgs, '--quiet', '--force', 'origin', `${commit}:${incoming}`], options);
    try {
      const head = await git(this.repo, ['rev-parse', `refs/heads/${baseBranch}`], options);
      if (head !== base) {
        throw new FlotillaError('conflict', `${baseBranch} moved while the change was being merged; it will be merged again on the new ${baseBranch}`, {
          retryable: true,
        });
      }
      const forwarded = await gitRaw(this.repo, ['merge', '--ff-only', '--quiet', commit], options);
      if (forwarded.exitCode !== 0 && (await git(this.repo, ['rev-parse', `refs/heads/${baseBranch}`], options)) !== base) {
        // Another change landed between our look and our fast-forward: merge again on the new base.
        throw new FlotillaError('conflict', `${baseBranch} moved while the change was being merged; it will be merged again on the new ${baseBranch}`, {
          retryable: true,
        });
      }
      if (forwarded.exitCode !== 0) {
        throw new FlotillaError('conflict', `${this.repo} could not fast-forward ${baseBranch}: ${forwarded.stderr.trim().split('\n')[0] ?? ''}`, {
          details: { hint: 'the repository has local changes in the files the change touches' },
        });
      }
    } finally {
      await gitRaw(this.repo, ['update-ref', '-d', incoming], options);
    }
  }
}
