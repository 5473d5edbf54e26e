import type { IncomingMessage } from 'node:http';
import { BareRepos } from './bare-repos.js';
import { FakeHttp, text, type ApiRequest, type ApiResponse } from './fake-http.js';

/**
 * A contract fake of GitHub: the subset of GitHub's REST API (and the one GraphQL mutation) that
 * `GitHubScm` uses, with payloads shaped as GitHub documents them, backed by real bare repositories
 * served over git's smart HTTP. Branch protection is modelled as required status checks; auto-merge
 * merges when they pass. It answers 401 "Bad credentials" without the token and replays injected faults.
 *
 * Test infrastructure for the SCM contract suite — not GitHub, and not used by Flotilla itself.
 */

export interface FakePull {
  number: number;
  nodeId: string;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommit: string | null;
  labels: string[];
  reviewers: string[];
  teams: string[];
  comments: string[];
  autoMerge: string | null;
}

interface RepoState {
  defaultBranch: string;
  pulls: FakePull[];
  statuses: Map<string, { context: string; state: string; target_url: string | null }[]>;
  requiredChecks: string[];
}

export class FakeGitHub {
  private readonly repoStates = new Map<string, RepoState>();
  private readonly http: FakeHttp;
  url = '';

  private constructor(
    readonly repos: BareRepos,
    readonly token: string,
  ) {
    this.http = new FakeHttp({
      token,
      gitRoot: repos.root,
      apiPrefix: '/api',
      apiAuthorized: (request: IncomingMessage, expected: string) => {
        const header = request.headers.authorization ?? '';
        return header === `token ${expected}` || header === `Bearer ${expected}`;
      },
      unauthorized: { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } },
      handler: (request) => this.route(request),
    });
  }

  static async start(token: string): Promise<FakeGitHub> {
    const fake = new FakeGitHub(await BareRepos.create(), token);
    fake.url = await fake.http.start();
    return fake;
  }

  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get requests(): FakeHttp['requests'] {
    return this.http.requests;
  }

  inject(...args: Parameters<FakeHttp['inject']>): void {
    this.http.inject(...args);
  }

  async createRepository(name: string, files: Record<string, string>): Promise<string> {
    this.repoStates.set(name, { defaultBranch: 'main', pulls: [], statuses: new Map(), requiredChecks: [] });
    return this.repos.seed(name, files);
  }

  /** Branch protection: these status contexts must be `success` on the head before a merge. */
  requireChecks(name: string, contexts: string[]): void {
    this.state(name).requiredChecks = contexts;
  }

  /** A CI system reports on a commit (POST /repos/{owner}/{repo}/statuses/{sha}); auto-merge may follow. */
  async setStatus(name: string, sha: string, context: string, state: 'success' | 'pending' | 'failure' | 'error'): Promise<void> {
    const repo = this.state(name);
    const list = (repo.statuses.get(sha) ?? []).filter((status) => status.context !== context);
    list.push({ context, state, target_url: `${this.url}/ci/${sha}/${context}` });
    repo.statuses.set(sha, list);
    for (const pull of repo.pulls) {
      if (pull.autoMerge && pull.state === 'open' && (await this.repos.head(name, pull.head)) === sha && (await this.mergeableState(name, pull)) === 'clean') {
        await this.merge(name, pull, sha, `Merge pull request #${pull.number}`, pull.autoMerge === 'SQUASH' ? 'squash' : 'merge');
      }
    }
  }

  pull(name: string, number: number): FakePull | undefined {
    return this.state(name).pulls.find((pull) => pull.number === number);
  }

  async close(): Promise<void> {
    await this.http.close();
    await this.repos.close();
  }

  private state(name: string): RepoState {
    const state = this.repoStates.get(name);
    if (!state) throw new Error(`the fake has no repository ${name}`);
    return state;
  }

  private async route(request: ApiRequest): Promise<ApiResponse> {
    const { method, path, body } = request;
    if (method === 'POST' && path === '/graphql') return this.graphql(body);
    const match = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    const name = match ? `${match[1]}/${match[2]}` : '';
    if (!match || !this.repoStates.has(name)) return { status: 404, body: { message: 'Not Found' } };
    const rest = match[3] ?? '';
    const repo = this.state(name);
    if (method === 'GET' && rest === '') return { status: 200, body: this.repository(name) };
    if (method === 'GET' && rest === '/pulls') {
      const head = request.query.get('head')?.split(':')[1];
      const state = request.query.get('state') ?? 'open';
      const pulls = repo.pulls.filter((pull) => (head === undefined || pull.head === head) && (state === 'all' || pull.state === state));
      return { status: 200, body: await Promise.all(pulls.map((pull) => this.pullJson(name, pull))) };
    }
    if (method === 'POST' && rest === '/pulls') return this.createPull(name, body);
    const pullMatch = /^\/(pulls|issues)\/(\d+)(\/[a-z_]+)?$/.exec(rest);
    const pull = pullMatch ? repo.pulls.find((item) => item.number === Number(pullMatch[2])) : undefined;
    if (pullMatch && !pull) return { status: 404, body: { message: 'Not Found' } };
    if (pull && pullMatch) return this.pullRoute(name, pull, method, pullMatch[3] ?? '', body);
    const commitMatch = /^\/commits\/([^/]+)\/(status|check-runs)$/.exec(rest);
    if (method === 'GET' && commitMatch) {
      const statuses = repo.statuses.get(commitMatch[1] ?? '') ?? [];
      if (commitMatch[2] === 'check-runs') return { status: 200, body: { total_count: 0, check_runs: [] } };
      return { status: 200, body: { state: combined(statuses.map((status) => status.state)), sha: commitMatch[1], total_count: statuses.length, statuses } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  private async pullRoute(name: string, pull: FakePull, method: string, action: string, body: Record<string, unknown>): Promise<ApiResponse> {
    if (method === 'GET' && action === '') return { status: 200, body: await this.pullJson(name, pull) };
    if (method === 'PATCH' && action === '') {
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
      if (body.state === 'closed' || body.state === 'open') pull.state = body.state;
      return { status: 200, body: await this.pullJson(name, pull) };
    }
    if (method === 'POST' && action === '/labels') {
      for (const label of (body.labels as string[] | undefined) ?? []) if (!pull.labels.includes(label)) pull.labels.push(label);
      return { status: 200, body: pull.labels.map((label) => ({ name: label, color: 'ededed', default: false })) };
    }
    if (method === 'POST' && action === '/comments') {
      pull.comments.push(text(body.body, ''));
      return { status: 201, body: { id: pull.comments.length, body: body.body } };
    }
    if (method === 'POST' && action === '/requested_reviewers') {
      pull.reviewers = [...new Set([...pull.reviewers, ...((body.reviewers as string[] | undefined) ?? [])])];
      pull.teams = [...new Set([...pull.teams, ...((body.team_reviewers as string[] | undefined) ?? [])])];
      return { status: 201, body: await this.pullJson(name, pull) };
    }
    if (method === 'PUT' && action === '/merge') {
      const head = await this.repos.head(name, pull.head);
      if (pull.merged || pull.state === 'closed') return { status: 405, body: { message: 'Pull Request is not mergeable' } };
      if (typeof body.sha === 'string' && body.sha !== head) return { status: 409, body: { message: 'Head branch was modified. Review and try the merge again.' } };
      if ((await this.mergeableState(name, pull)) !== 'clean') return { status: 405, body: { message: 'Pull Request is not mergeable' } };
      const commit = await this.merge(name, pull, head ?? '', text(body.commit_title, `Merge pull request #${pull.number}`), body.merge_method === 'squash' ? 'squash' : 'merge');
      if (!commit) return { status: 405, body: { message: 'Pull Request is not mergeable' } };
      return { status: 200, body: { sha: commit, merged: true, message: 'Pull Request successfully merged' } };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  private async createPull(name: string, body: Record<string, unknown>): Promise<ApiResponse> {
    const repo = this.state(name);
    const head = text(body.head).replace(/^[^:]+:/, '');
    if (!(await this.repos.head(name, head))) return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] } };
    if (repo.pulls.some((pull) => pull.head === head && pull.state === 'open')) {
      return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${head}.` }] } };
    }
    const number = repo.pulls.length + 1;
    const pull: FakePull = {
      number,
      nodeId: `PR_fake_${name.replace('/', '_')}_${number}`,
      title: text(body.title, ''),
      body: text(body.body, ''),
      head,
      base: text(body.base, repo.defaultBranch),
      state: 'open',
      merged: false,
      mergeCommit: null,
      labels: [],
      reviewers: [],
      teams: [],
      comments: [],
      autoMerge: null,
    };
    repo.pulls.push(pull);
    return { status: 201, body: await this.pullJson(name, pull) };
  }

  private graphql(body: Record<string, unknown>): Promise<ApiResponse> {
    const query = text(body.query, '');
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    if (!query.includes('enablePullRequestAutoMerge')) return Promise.resolve({ status: 200, body: { errors: [{ message: 'the fake supports enablePullRequestAutoMerge only' }] } });
    for (const repo of this.repoStates.values()) {
      const pull = repo.pulls.find((item) => item.nodeId === variables.pullRequestId);
      if (!pull) continue;
      pull.autoMerge = text(variables.mergeMethod, 'MERGE');
      return Promise.resolve({ status: 200, body: { data: { enablePullRequestAutoMerge: { pullRequest: { number: pull.number } } } } });
    }
    return Promise.resolve({ status: 200, body: { errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a node' }] } });
  }

  private async merge(name: string, pull: FakePull, head: string, message: string, method: 'merge' | 'squash'): Promise<string | undefined> {
    const commit = await this.repos.merge(name, pull.base, head, message, method);
    if (!commit) return undefined;
    Object.assign(pull, { merged: true, state: 'closed', mergeCommit: commit });
    return commit;
  }

  /** GitHub's mergeable_state: dirty (conflicts), blocked (required checks not green), clean. */
  private async mergeableState(name: string, pull: FakePull): Promise<'dirty' | 'blocked' | 'clean'> {
    const head = (await this.repos.head(name, pull.head)) ?? '';
    const base = (await this.repos.head(name, pull.base)) ?? '';
    if (!(await this.repos.mergeTree(name, base, head))) return 'dirty';
    const statuses = this.state(name).statuses.get(head) ?? [];
    const green = this.state(name).requiredChecks.every((context) => statuses.some((status) => status.context === context && status.state === 'success'));
    return green ? 'clean' : 'blocked';
  }

  private async pullJson(name: string, pull: FakePull): Promise<Record<string, unknown>> {
    const head = (await this.repos.head(name, pull.head)) ?? null;
    const base = (await this.repos.head(name, pull.base)) ?? null;
    const state = pull.state === 'open' ? await this.mergeableState(name, pull) : 'unknown';
    const html = `${this.url}/${name}/pull/${pull.number}`;
    return {
      url: `${this.apiUrl}/repos/${name}/pulls/${pull.number}`,
      id: pull.number,
      node_id: pull.nodeId,
      html_url: html,
      number: pull.number,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      draft: false,
      labels: pull.labels.map((label) => ({ name: label })),
      requested_reviewers: pull.reviewers.map((login) => ({ login })),
      requested_teams: pull.teams.map((slug) => ({ slug })),
      head: { ref: pull.head, sha: head, label: `${name.split('/')[0] ?? ''}:${pull.head}` },
      base: { ref: pull.base, sha: base, label: `${name.split('/')[0] ?? ''}:${pull.base}` },
      merged: pull.merged,
      mergeable: pull.state === 'open' ? state !== 'dirty' : null,
      mergeable_state: state,
      merge_commit_sha: pull.mergeCommit,
      auto_merge: pull.autoMerge ? { merge_method: pull.autoMerge.toLowerCase() } : null,
    };
  }

  private repository(name: string): Record<string, unknown> {
    const [owner = '', repo = ''] = name.split('/');
    return {
      id: 1,
      node_id: `R_fake_${owner}_${repo}`,
      name: repo,
      full_name: name,
      owner: { login: owner },
      private: true,
      html_url: `${this.url}/${name}`,
      clone_url: `${this.url}/git/${name}.git`,
      default_branch: this.state(name).defaultBranch,
    };
  }
}

function combined(states: readonly string[]): string {
  if (states.some((state) => state === 'failure' || state === 'error')) return 'failure';
  if (states.length === 0 || states.some((state) => state === 'pending')) return 'pending';
  return 'success';
}
