import { Gitlab } from '@gitbeaker/rest';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { changedFiles, codeOwners, combine, fetchBase, hostGit, revertCommit, runHostGit, type HostGit } from './host-git.js';
import { DEFAULT_RETRY, HostRequestError, isNetworkError, redactor, withRetry, type HttpFailure } from './host-retry.js';
import { pause, tokenFrom, type HostedScmOptions } from './hosted-options.js';
import type { CheckoutRequest, CheckResult, CheckStatus, CloseRequest, MergeRequest, MergeResult, PublishedChange, PublishRequest, RevertRequest, ScmAdapter } from './scm.js';

export interface GitLabScmOptions extends HostedScmOptions {
  /** The project's full path (`group/subgroup/project`) or numeric id. */
  project: string;
  /** The GitLab instance; default https://gitlab.com. */
  host?: string;
}

interface MergeRequestView {
  iid: number;
  state: string;
  title: string;
  description: string | null;
  web_url: string;
  sha: string | null;
  merge_commit_sha: string | null;
  squash_commit_sha: string | null;
  detailed_merge_status?: string;
  has_conflicts?: boolean;
  target_branch: string;
}

/** Statuses while GitLab is still working out whether the merge request can merge. */
const CHECKING = new Set(['checking', 'unchecked', 'approvals_syncing', 'preparing']);

/**
 * GitLab through its REST API (Gitbeaker) and git over HTTPS. A change is a merge request from the
 * branch `flotilla/<campaign>`, found again by its source branch on every publish. Merging reads
 * `detailed_merge_status`: a conflict is a `conflict` error; a pipeline or approval that blocks the merge
 * fails it as blocked or, with `autoMerge`, sets "merge when the pipeline succeeds" and waits for GitLab.
 *
 * Gitbeaker itself retries 429 and 502 ten times within about a quarter of a second without reading
 * Retry-After; when it gives up, this adapter's own retry (shared with GitHubScm) waits with backoff and
 * reports it. The token comes from GITLAB_TOKEN (or `token`) and is redacted from every error. Verified
 * against the contract suite and a local fake of GitLab's REST API (`contract/fake-gitlab.ts`), not
 * against a live GitLab.
 */
export class GitLabScm implements ScmAdapter {
  readonly kind = 'gitlab';
  private readonly api: InstanceType<typeof Gitlab>;
  private readonly token: string;
  private readonly redact: (text: string) => string;
  private auth: HostGit | undefined;

  constructor(private readonly options: GitLabScmOptions) {
    this.token = tokenFrom(options, 'GITLAB_TOKEN');
    this.redact = redactor([this.token]);
    this.api = new Gitlab({ host: options.host ?? 'https://gitlab.com', token: this.token });
  }

  async checkout(request: CheckoutRequest): Promise<{ commit: string }> {
    const auth = await this.gitAuth(request.signal);
    await runHostGit(auth, process.cwd(), ['clone', '--quiet', '--template=', '--no-tags', '--single-branch', '--branch', request.branch, await this.cloneUrl(request.signal), request.workspace], this.signalOf(request));
    return { commit: await git(request.workspace, ['rev-parse', 'HEAD']) };
  }

  async publishChange(request: PublishRequest): Promise<PublishedChange> {
    const auth = await this.gitAuth(request.signal);
    await runHostGit(auth, request.workspace, ['push', '--quiet', '--force', 'origin', `${request.commit}:refs/heads/${request.branch}`], this.signalOf(request));
    const project = this.options.project;
    const open = (await this.call('list merge requests', () => this.api.MergeRequests.all({ projectId: project, sourceBranch: request.branch, targetBranch: request.baseBranch, state: 'opened' }), request.signal)) as unknown as MergeRequestView[];
    const reviewerIds = await this.reviewerIds(request);
    const labels = (this.options.labels ?? []).join(',');
    let view = open[0];
    if (view) {
      const iid = view.iid;
      view = (await this.call('update merge request', () => this.api.MergeRequests.edit(project, iid, { title: request.title, description: request.body, ...(labels ? { addLabels: labels } : {}), ...(reviewerIds.length ? { reviewerIds } : {}) }), request.signal)) as unknown as MergeRequestView;
      this.log('info', 'merge request updated', { iid });
    } else {
      view = (await this.call('create merge request', () =>
        this.api.MergeRequests.create(project, request.branch, request.baseBranch, request.title, { description: request.body, ...(labels ? { labels } : {}), ...(reviewerIds.length ? { reviewerIds } : {}) }),
      request.signal)) as unknown as MergeRequestView;
      this.log('info', 'merge request opened', { iid: view.iid, url: view.web_url });
    }
    return { id: String(view.iid), branch: request.branch, commit: request.commit, url: view.web_url };
  }

  async mergeChange(request: MergeRequest): Promise<MergeResult> {
    const view = await this.settled(request.change, request.signal);
    if (view.state === 'merged') return { commit: landedCommit(view), alreadyMerged: true };
    if (view.state !== 'opened') throw new FlotillaError('conflict', `merge request !${view.iid} is ${view.state} and will not merge`);
    if (view.has_conflicts === true || view.detailed_merge_status === 'conflict') throw conflictError(view, request.baseBranch);
    if (view.detailed_merge_status !== 'mergeable') return this.blocked(request, view);
    try {
      const merged = await this.accept(request, {});
      this.log('info', 'merge request merged', { iid: merged.iid, commit: landedCommit(merged) });
      return { commit: landedCommit(merged), alreadyMerged: false };
    } catch (error) {
      if (!(error instanceof HostRequestError)) throw error;
      if (error.status === 409) throw new FlotillaError('conflict', `the source branch of !${view.iid} moved while it was being merged`, { retryable: true });
      if (error.status !== 405 && error.status !== 406 && error.status !== 422) throw error;
      const current = await this.show(request.change, request.signal);
      if (current.has_conflicts === true || current.detailed_merge_status === 'conflict') throw conflictError(current, request.baseBranch);
      return this.blocked(request, current);
    }
  }

  async closeChange(request: CloseRequest): Promise<void> {
    const view = await this.show(request.change, request.signal);
    if (view.state !== 'opened') return;
    await this.call('comment on merge request', () => this.api.MergeRequestNotes.create(this.options.project, view.iid, request.reason), request.signal);
    await this.call('close merge request', () => this.api.MergeRequests.edit(this.options.project, view.iid, { stateEvent: 'close' }), request.signal);
    this.log('info', 'merge request closed', { iid: view.iid });
  }

  async revertChange(request: RevertRequest): Promise<PublishedChange> {
    const auth = await this.gitAuth(request.signal);
    const base = await fetchBase(auth, request.workspace, request.baseBranch, request.signal);
    const message = request.body ? `${request.title}\n\n${request.body}\n` : `${request.title}\n`;
    const commit = await revertCommit(request.workspace, base, request.mergeCommit, message, request.signal);
    const branch = `flotilla/revert-${request.change.branch.replace(/^flotilla\//, '')}`;
    return this.publishChange({ workspace: request.workspace, branch, commit, baseBranch: request.baseBranch, title: request.title, body: request.body, ...this.signalOf(request) });
  }

  async checkStatus(request: { change: PublishedChange; signal?: AbortSignal }): Promise<CheckStatus> {
    const statuses = (await this.call('read commit statuses', () => this.api.Commits.allStatuses(this.options.project, request.change.commit), request.signal)) as unknown as {
      name: string;
      status: string;
      target_url?: string | null;
    }[];
    const checks: CheckResult[] = statuses.map((status) => ({
      name: status.name,
      state: ['success', 'skipped'].includes(status.status) ? 'success' : ['failed', 'canceled'].includes(status.status) ? 'failure' : 'pending',
      ...(status.target_url ? { url: status.target_url } : {}),
    }));
    return { state: combine(checks), checks };
  }

  /** User ids of the CODEOWNERS of the changed files; GitLab requests reviews from people, not groups. */
  private async reviewerIds(request: PublishRequest): Promise<number[]> {
    if (this.options.requestReviewers === false) return [];
    const owners = await codeOwners(request.workspace, request.commit, await changedFiles(request.workspace, request.commit, request.signal), request.signal);
    if (owners.teams.length > 0) this.log('info', 'CODEOWNERS groups are not requested as reviewers on GitLab', { groups: owners.teams });
    const ids: number[] = [];
    for (const username of owners.users) {
      const users = (await this.call('find reviewer', () => this.api.Users.all({ username }), request.signal)) as unknown as { id: number }[];
      const user = users[0];
      if (user) ids.push(user.id);
      else this.log('warn', 'a CODEOWNERS user is not known to GitLab', { username });
    }
    return ids;
  }

  private async blocked(request: MergeRequest, view: MergeRequestView): Promise<MergeResult> {
    const status = view.detailed_merge_status ?? 'unknown';
    if (!this.options.autoMerge) {
      throw new FlotillaError('step-failed', `merge request !${view.iid} cannot merge yet (${status}): its pipeline or approvals have not passed; set autoMerge to let GitLab merge it when they do`, {
        retryable: true,
        details: { detailedMergeStatus: status },
      });
    }
    await this.accept(request, { autoMerge: true, mergeWhenPipelineSucceeds: true });
    this.log('info', 'auto-merge set; waiting for GitLab to merge', { iid: view.iid, detailedMergeStatus: status });
    for (;;) {
      await pause(this.options.pollMs ?? 10_000, request.signal);
      const current = await this.show(request.change, request.signal);
      if (current.state === 'merged') return { commit: landedCommit(current), alreadyMerged: false };
      if (current.state !== 'opened') throw new FlotillaError('conflict', `merge request !${view.iid} was ${current.state} while auto-merge waited`);
      if (current.detailed_merge_status === 'mergeable') return this.mergeChange(request);
    }
  }

  private async accept(request: MergeRequest, extra: { autoMerge?: boolean; mergeWhenPipelineSucceeds?: boolean }): Promise<MergeRequestView> {
    const iid = Number(request.change.id);
    const method = this.options.mergeMethod ?? 'merge';
    return (await this.call('merge merge request', () =>
      this.api.MergeRequests.merge(this.options.project, iid, { sha: request.change.commit, mergeCommitMessage: request.message, ...(method === 'squash' ? { squash: true } : {}), ...extra }),
    request.signal)) as unknown as MergeRequestView;
  }

  /** The merge request once GitLab has worked out its mergeability. */
  private async settled(change: PublishedChange, signal: AbortSignal | undefined): Promise<MergeRequestView> {
    for (let attempt = 0; ; attempt++) {
      const view = await this.show(change, signal);
      if (!CHECKING.has(view.detailed_merge_status ?? '') || attempt >= 5) return view;
      await pause(Math.min(this.options.pollMs ?? 10_000, 2_000), signal);
    }
  }

  private async show(change: PublishedChange, signal: AbortSignal | undefined): Promise<MergeRequestView> {
    return (await this.call('read merge request', () => this.api.MergeRequests.show(this.options.project, Number(change.id)), signal)) as unknown as MergeRequestView;
  }

  private async cloneUrl(signal: AbortSignal | undefined): Promise<string> {
    const project = (await this.call('read project', () => this.api.Projects.show(this.options.project), signal)) as unknown as { http_url_to_repo: string };
    return project.http_url_to_repo;
  }

  private async gitAuth(signal: AbortSignal | undefined): Promise<HostGit> {
    this.auth ??= hostGit(await this.cloneUrl(signal), 'oauth2', this.token, this.redact);
    return this.auth;
  }

  private call<T>(label: string, run: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return withRetry(label, run, { host: 'GitLab', policy: { ...DEFAULT_RETRY, ...this.options.retry }, log: this.log, classify: classifyGitbeaker, redact: this.redact, ...(signal ? { signal } : {}) });
  }

  private readonly log = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>): void => {
    this.options.log?.(level, message, { project: this.options.project, ...fields });
  };

  private signalOf(request: { signal?: AbortSignal }): { signal?: AbortSignal } {
    return request.signal ? { signal: request.signal } : {};
  }
}

function landedCommit(view: MergeRequestView): string {
  return view.merge_commit_sha ?? view.squash_commit_sha ?? view.sha ?? '';
}

function conflictError(view: MergeRequestView, baseBranch: string): FlotillaError {
  return new FlotillaError('conflict', `merge request !${view.iid} does not merge cleanly into ${baseBranch}`, { details: { detailedMergeStatus: view.detailed_merge_status } });
}

/** Gitbeaker's request errors carry the fetch Response; its retry error only names the last status. */
export function classifyGitbeaker(error: unknown): HttpFailure {
  const value = error as { cause?: { response?: Response; description?: unknown }; message?: unknown };
  const response = value.cause?.response;
  const message = typeof value.message === 'string' ? value.message : String(error);
  if (response && typeof response.status === 'number') {
    const headers: Record<string, string> = {};
    response.headers.forEach((item, key) => {
      headers[key.toLowerCase()] = item;
    });
    return { status: response.status, headers, message };
  }
  const last = /last status code: (\d+)/.exec(message)?.[1];
  if (last) return { status: Number(last), headers: {}, message };
  return { status: undefined, headers: {}, message, network: isNetworkError(error) || /timeout/i.test(message) };
}
