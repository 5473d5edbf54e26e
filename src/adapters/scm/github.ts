import { Octokit } from '@octokit/rest';
import { git } from '../../git/git.js';
import { FlotillaError } from '../../model/errors.js';
import { changedFiles, codeOwners, combine, fetchBase, hostGit, revertCommit, runHostGit, type HostGit } from './host-git.js';
import { DEFAULT_RETRY, HostRequestError, isNetworkError, redactor, withRetry, type HttpFailure, type RetryOptions } from './host-retry.js';
import { pause, tokenFrom, type HostedScmOptions } from './hosted-options.js';
import type {
  CheckoutRequest,
  CheckResult,
  CheckStatus,
  CloseRequest,
  MergeRequest,
  MergeResult,
  PublishedChange,
  PublishRequest,
  RevertRequest,
  ScmAdapter,
} from './scm.js';

export interface GitHubScmOptions extends HostedScmOptions {
  owner: string;
  repo: string;
  /** The REST API root; default https://api.github.com (GitHub Enterprise: https://HOST/api/v3). */
  apiUrl?: string;
}

type PullRequest = Awaited<ReturnType<Octokit['rest']['pulls']['get']>>['data'];

/** mergeable_state values where GitHub will not merge now but may later (checks, reviews, an old base). */
const BLOCKED_STATES = new Set(['blocked', 'behind', 'unknown', 'draft']);

/**
 * GitHub through its REST API (Octokit) and git over HTTPS. A change is a pull request from the
 * branch `flotilla/<campaign>`, found again by its head branch on every publish, so a retry updates it
 * instead of opening a second one. Merging reads GitHub's mergeability first: a conflict is a
 * `conflict` error; branch protection that blocks the merge either fails the merge as blocked or, with
 * `autoMerge`, turns on GitHub's auto-merge and waits for GitHub to merge.
 *
 * The token comes from GITHUB_TOKEN (or `token`), is sent to git only as an http.extraHeader in the
 * environment, and is redacted from every error. Verified against the contract suite and a local fake
 * of GitHub's REST API (`contract/fake-github.ts`), not against github.com.
 */
export class GitHubScm implements ScmAdapter {
  readonly kind = 'github';
  private readonly octokit: Octokit;
  private readonly token: string;
  private readonly redact: (text: string) => string;
  private auth: HostGit | undefined;

  constructor(private readonly options: GitHubScmOptions) {
    this.token = tokenFrom(options, 'GITHUB_TOKEN');
    this.redact = redactor([this.token]);
    const silent = (): void => undefined;
    this.octokit = new Octokit({ auth: this.token, baseUrl: options.apiUrl ?? 'https://api.github.com', log: { debug: silent, info: silent, warn: silent, error: silent } });
  }

  async checkout(request: CheckoutRequest): Promise<{ commit: string }> {
    const auth = await this.gitAuth(request.signal);
    const url = await this.cloneUrl(request.signal);
    await runHostGit(auth, process.cwd(), ['clone', '--quiet', '--template=', '--no-tags', '--single-branch', '--branch', request.branch, url, request.workspace], this.signalOf(request));
    return { commit: await git(request.workspace, ['rev-parse', 'HEAD']) };
  }

  async publishChange(request: PublishRequest): Promise<PublishedChange> {
    const auth = await this.gitAuth(request.signal);
    await runHostGit(auth, request.workspace, ['push', '--quiet', '--force', 'origin', `${request.commit}:refs/heads/${request.branch}`], this.signalOf(request));
    const { owner, repo } = this.options;
    const open = await this.call('list pull requests', (signal) => this.octokit.rest.pulls.list({ owner, repo, head: `${owner}:${request.branch}`, state: 'open', request: { signal } }), request.signal);
    let pull = open.data.find((item) => item.base.ref === request.baseBranch);
    if (pull) {
      if (pull.title !== request.title || (pull.body ?? '') !== request.body) {
        await this.call('update pull request', (signal) => this.octokit.rest.pulls.update({ owner, repo, pull_number: pull?.number ?? 0, title: request.title, body: request.body, request: { signal } }), request.signal);
      }
      this.log('info', 'pull request updated', { number: pull.number });
    } else {
      const created = await this.call('create pull request', (signal) =>
        this.octokit.rest.pulls.create({ owner, repo, head: request.branch, base: request.baseBranch, title: request.title, body: request.body, request: { signal } }),
      request.signal);
      pull = created.data as unknown as typeof pull;
      this.log('info', 'pull request opened', { number: created.data.number, url: created.data.html_url });
    }
    const number = pull?.number ?? 0;
    await this.decorate(request, number);
    return { id: String(number), branch: request.branch, commit: request.commit, ...(pull?.html_url ? { url: pull.html_url } : {}) };
  }

  async mergeChange(request: MergeRequest): Promise<MergeResult> {
    let pull = await this.settledPull(request.change, request.signal);
    if (pull.merged && pull.merge_commit_sha) return { commit: pull.merge_commit_sha, alreadyMerged: true };
    if (pull.state === 'closed') throw new FlotillaError('conflict', `pull request #${pull.number} was closed without merging`);
    if (pull.mergeable === false && pull.mergeable_state === 'dirty') {
      throw new FlotillaError('conflict', `pull request #${pull.number} does not merge cleanly into ${request.baseBranch}`, { details: { mergeableState: pull.mergeable_state } });
    }
    if (BLOCKED_STATES.has(pull.mergeable_state)) return this.blocked(request, pull);
    const { owner, repo } = this.options;
    try {
      const merged = await this.call('merge pull request', (signal) =>
        this.octokit.rest.pulls.merge({ owner, repo, pull_number: pull.number, sha: request.change.commit, merge_method: this.options.mergeMethod ?? 'merge', commit_title: request.message, request: { signal } }),
      request.signal);
      this.log('info', 'pull request merged', { number: pull.number, commit: merged.data.sha });
      return { commit: merged.data.sha, alreadyMerged: false };
    } catch (error) {
      if (!(error instanceof HostRequestError)) throw error;
      if (error.status === 409) throw new FlotillaError('conflict', `the head of pull request #${pull.number} moved while it was being merged`, { retryable: true });
      if (error.status !== 405) throw error;
      pull = await this.pull(request.change, request.signal);
      if (pull.mergeable === false) throw new FlotillaError('conflict', `pull request #${pull.number} does not merge cleanly into ${request.baseBranch}`);
      return this.blocked(request, pull);
    }
  }

  async closeChange(request: CloseRequest): Promise<void> {
    const pull = await this.pull(request.change, request.signal);
    if (pull.state === 'closed') return;
    const { owner, repo } = this.options;
    await this.call('comment on pull request', (signal) => this.octokit.rest.issues.createComment({ owner, repo, issue_number: pull.number, body: request.reason, request: { signal } }), request.signal);
    await this.call('close pull request', (signal) => this.octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, state: 'closed', request: { signal } }), request.signal);
    this.log('info', 'pull request closed', { number: pull.number });
  }

  async revertChange(request: RevertRequest): Promise<PublishedChange> {
    const auth = await this.gitAuth(request.signal);
    const base = await fetchBase(auth, request.workspace, request.baseBranch, request.signal);
    const message = request.body ? `${request.title}\n\n${request.body}\n` : `${request.title}\n`;
    const commit = await revertCommit(request.workspace, base, request.mergeCommit, message, request.signal);
    const branch = `flotilla/revert-${request.change.branch.replace(/^flotilla\//, '')}`;
    return this.publishChange({ workspace: request.workspace, branch, commit, baseBranch: request.baseBranch, title: request.title, body: request.body, ...(request.signal ? { signal: request.signal } : {}) });
  }

  async checkStatus(request: { change: PublishedChange; signal?: AbortSignal }): Promise<CheckStatus> {
    const { owner, repo } = this.options;
    const ref = request.change.commit;
    const combined = await this.call('read commit status', (signal) => this.octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref, request: { signal } }), request.signal);
    const runs = await this.call('read check runs', (signal) => this.octokit.rest.checks.listForRef({ owner, repo, ref, request: { signal } }), request.signal);
    const checks: CheckResult[] = [];
    for (const status of combined.data.statuses) {
      checks.push({ name: status.context, state: status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure', ...(status.target_url ? { url: status.target_url } : {}) });
    }
    for (const run of runs.data.check_runs) {
      const state = run.status !== 'completed' ? 'pending' : ['success', 'neutral', 'skipped'].includes(run.conclusion ?? '') ? 'success' : 'failure';
      checks.push({ name: run.name, state, ...(run.html_url ? { url: run.html_url } : {}) });
    }
    return { state: combine(checks), checks };
  }

  /** Labels and CODEOWNERS reviewers; a reviewer GitHub refuses (not a collaborator) is logged, not fatal. */
  private async decorate(request: PublishRequest, number: number): Promise<void> {
    const { owner, repo } = this.options;
    const labels = this.options.labels ?? [];
    if (labels.length > 0) await this.call('label pull request', (signal) => this.octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels, request: { signal } }), request.signal);
    if (this.options.requestReviewers === false) return;
    const owners = await codeOwners(request.workspace, request.commit, await changedFiles(request.workspace, request.commit, request.signal), request.signal);
    const teams = owners.teams.filter((team) => team.startsWith(`${owner}/`)).map((team) => team.slice(owner.length + 1));
    if (owners.users.length === 0 && teams.length === 0) return;
    try {
      await this.call('request reviewers', (signal) => this.octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: number, reviewers: owners.users, team_reviewers: teams, request: { signal } }), request.signal);
      this.log('info', 'reviewers requested', { number, users: owners.users, teams });
    } catch (error) {
      if (!(error instanceof HostRequestError) || error.status !== 422) throw error;
      this.log('warn', 'GitHub refused the CODEOWNERS reviewers', { number, message: error.message });
    }
  }

  private async blocked(request: MergeRequest, pull: PullRequest): Promise<MergeResult> {
    if (!this.options.autoMerge) {
      throw new FlotillaError('step-failed', `pull request #${pull.number} is blocked by branch protection (${pull.mergeable_state}): required checks or reviews have not passed; set autoMerge to let GitHub merge it when they do`, {
        retryable: true,
        details: { mergeableState: pull.mergeable_state },
      });
    }
    const method = (this.options.mergeMethod ?? 'merge').toUpperCase();
    const mutation = 'mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) { enablePullRequestAutoMerge(input: {pullRequestId: $pullRequestId, mergeMethod: $mergeMethod}) { pullRequest { number } } }';
    await this.call('enable auto-merge', (signal) => this.octokit.graphql(mutation, { pullRequestId: pull.node_id, mergeMethod: method, request: { signal } }), request.signal);
    this.log('info', 'auto-merge enabled; waiting for GitHub to merge', { number: pull.number, mergeableState: pull.mergeable_state });
    for (;;) {
      await pause(this.options.pollMs ?? 10_000, request.signal);
      const current = await this.pull(request.change, request.signal);
      if (current.merged && current.merge_commit_sha) return { commit: current.merge_commit_sha, alreadyMerged: false };
      if (current.state === 'closed') throw new FlotillaError('conflict', `pull request #${pull.number} was closed without merging while auto-merge waited`);
      // GitHub merges by itself only on a change of state after auto-merge was on; a pull request that
      // became clean in between is merged here.
      if (current.mergeable_state === 'clean') return this.mergeChange(request);
    }
  }

  /** The pull request, once GitHub has computed its mergeability (it answers null while it works). */
  private async settledPull(change: PublishedChange, signal: AbortSignal | undefined): Promise<PullRequest> {
    for (let attempt = 0; ; attempt++) {
      const pull = await this.pull(change, signal);
      if (pull.mergeable !== null || pull.merged || pull.state === 'closed' || attempt >= 5) return pull;
      await pause(Math.min(this.options.pollMs ?? 10_000, 2_000), signal);
    }
  }

  private async pull(change: PublishedChange, signal: AbortSignal | undefined): Promise<PullRequest> {
    const { owner, repo } = this.options;
    const response = await this.call('read pull request', (requestSignal) => this.octokit.rest.pulls.get({ owner, repo, pull_number: Number(change.id), request: { signal: requestSignal } }), signal);
    return response.data;
  }

  private async cloneUrl(signal: AbortSignal | undefined): Promise<string> {
    const { owner, repo } = this.options;
    const response = await this.call('read repository', (requestSignal) => this.octokit.rest.repos.get({ owner, repo, request: { signal: requestSignal } }), signal);
    return response.data.clone_url;
  }

  private async gitAuth(signal: AbortSignal | undefined): Promise<HostGit> {
    this.auth ??= hostGit(await this.cloneUrl(signal), 'x-access-token', this.token, this.redact);
    return this.auth;
  }

  private call<T>(label: string, run: (signal: AbortSignal | undefined) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const options: RetryOptions = { host: 'GitHub', policy: { ...DEFAULT_RETRY, ...this.options.retry }, log: this.log, classify: classifyOctokit, redact: this.redact, ...(signal ? { signal } : {}) };
    return withRetry(label, () => run(signal), options);
  }

  private readonly log = (level: 'info' | 'warn', message: string, fields: Record<string, unknown>): void => {
    this.options.log?.(level, message, { repository: `${this.options.owner}/${this.options.repo}`, ...fields });
  };

  private signalOf(request: { signal?: AbortSignal }): { signal?: AbortSignal } {
    return request.signal ? { signal: request.signal } : {};
  }
}

/** Octokit's RequestError (status, response headers) or a network failure. */
export function classifyOctokit(error: unknown): HttpFailure {
  const value = error as { status?: unknown; response?: { headers?: Record<string, string | number | undefined>; data?: unknown }; message?: unknown };
  const headers: Record<string, string | undefined> = {};
  for (const [key, item] of Object.entries(value.response?.headers ?? {})) headers[key.toLowerCase()] = item === undefined ? undefined : String(item);
  const data = value.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : typeof value.message === 'string' ? value.message : String(error);
  const status = typeof value.status === 'number' && value.status > 0 ? value.status : undefined;
  return { status, headers, message, network: status === undefined && isNetworkError(error) };
}
