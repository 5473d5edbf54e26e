import type { IncomingMessage } from 'node:http';
import { BareRepos } from './bare-repos.js';
import { FakeHttp, text, type ApiRequest, type ApiResponse } from './fake-http.js';

/**
 * A contract fake of GitLab: the subset of GitLab's REST API v4 that `GitLabScm` uses, with payloads
 * shaped as GitLab documents them, backed by real bare repositories served over git's smart HTTP.
 * "Pipelines must succeed" is modelled as required commit statuses; auto-merge merges when they pass.
 * It answers 401 without the token (PRIVATE-TOKEN or Bearer) and replays injected faults.
 *
 * Test infrastructure for the SCM contract suite — not GitLab, and not used by Flotilla itself.
 */

export interface FakeMergeRequest {
  iid: number;
  title: string;
  description: string;
  source: string;
  target: string;
  state: 'opened' | 'closed' | 'merged';
  mergeCommit: string | null;
  labels: string[];
  reviewerIds: number[];
  notes: string[];
  autoMerge: boolean;
}

interface ProjectState {
  id: number;
  mergeRequests: FakeMergeRequest[];
  statuses: Map<string, { name: string; status: string; target_url: string }[]>;
  requiredChecks: string[];
}

const USERS = [
  { id: 101, username: 'alice', name: 'Alice' },
  { id: 102, username: 'docs-lead', name: 'Docs Lead' },
];

export class FakeGitLab {
  private readonly projects = new Map<string, ProjectState>();
  private readonly http: FakeHttp;
  url = '';

  private constructor(
    readonly repos: BareRepos,
    readonly token: string,
  ) {
    this.http = new FakeHttp({
      token,
      gitRoot: repos.root,
      apiPrefix: '/api/v4',
      apiAuthorized: (request: IncomingMessage, expected: string) => request.headers['private-token'] === expected || request.headers.authorization === `Bearer ${expected}`,
      unauthorized: { status: 401, body: { message: '401 Unauthorized' } },
      handler: (request) => this.route(request),
    });
  }

  static async start(token: string): Promise<FakeGitLab> {
    const fake = new FakeGitLab(await BareRepos.create(), token);
    fake.url = await fake.http.start();
    return fake;
  }

  get requests(): FakeHttp['requests'] {
    return this.http.requests;
  }

  inject(...args: Parameters<FakeHttp['inject']>): void {
    this.http.inject(...args);
  }

  async createProject(path: string, files: Record<string, string>): Promise<string> {
    this.projects.set(path, { id: this.projects.size + 1, mergeRequests: [], statuses: new Map(), requiredChecks: [] });
    return this.repos.seed(path, files);
  }

  /** "Pipelines must succeed": these statuses must be `success` on the source branch's head. */
  requireChecks(path: string, names: string[]): void {
    this.project(path).requiredChecks = names;
  }

  /** A pipeline job reports on a commit (POST /projects/:id/statuses/:sha); auto-merge may follow. */
  async setStatus(path: string, sha: string, name: string, state: 'success' | 'pending' | 'failure'): Promise<void> {
    const project = this.project(path);
    const list = (project.statuses.get(sha) ?? []).filter((status) => status.name !== name);
    list.push({ name, status: state === 'failure' ? 'failed' : state, target_url: `${this.url}/${path}/-/jobs/${name}` });
    project.statuses.set(sha, list);
    for (const request of project.mergeRequests) {
      if (request.autoMerge && request.state === 'opened' && (await this.repos.head(path, request.source)) === sha && (await this.status(path, request)) === 'mergeable') {
        await this.merge(path, request, sha, `Merge branch '${request.source}' into '${request.target}'`, false);
      }
    }
  }

  mergeRequest(path: string, iid: number): FakeMergeRequest | undefined {
    return this.project(path).mergeRequests.find((request) => request.iid === iid);
  }

  username(id: number): string | undefined {
    return USERS.find((user) => user.id === id)?.username;
  }

  async close(): Promise<void> {
    await this.http.close();
    await this.repos.close();
  }

  private project(path: string): ProjectState {
    const project = this.projects.get(path);
    if (!project) throw new Error(`the fake has no project ${path}`);
    return project;
  }

  private async route(request: ApiRequest): Promise<ApiResponse> {
    const { method, body, query } = request;
    if (method === 'GET' && request.path === '/users') return { status: 200, body: USERS.filter((user) => user.username === query.get('username')) };
    const match = /^\/projects\/([^/]+)(\/.*)?$/.exec(request.path);
    const path = match ? decodeURIComponent(match[1] ?? '') : '';
    if (!match || !this.projects.has(path)) return { status: 404, body: { message: '404 Project Not Found' } };
    const rest = match[2] ?? '';
    const project = this.project(path);
    if (method === 'GET' && rest === '') return { status: 200, body: this.projectJson(path) };
    if (method === 'GET' && rest === '/merge_requests') {
      const found = project.mergeRequests.filter(
        (item) => (!query.get('source_branch') || item.source === query.get('source_branch')) && (!query.get('target_branch') || item.target === query.get('target_branch')) && (!query.get('state') || item.state === query.get('state')),
      );
      return { status: 200, body: await Promise.all(found.map((item) => this.mergeRequestJson(path, item))) };
    }
    if (method === 'POST' && rest === '/merge_requests') return this.create(path, body);
    const statuses = /^\/repository\/commits\/([^/]+)\/statuses$/.exec(rest);
    if (method === 'GET' && statuses) return { status: 200, body: project.statuses.get(statuses[1] ?? '') ?? [] };
    const mr = /^\/merge_requests\/(\d+)(\/[a-z_]+)?$/.exec(rest);
    const item = mr ? project.mergeRequests.find((candidate) => candidate.iid === Number(mr[1])) : undefined;
    if (!mr || !item) return { status: 404, body: { message: '404 Not found' } };
    const action = mr[2] ?? '';
    if (method === 'GET' && action === '') return { status: 200, body: await this.mergeRequestJson(path, item) };
    if (method === 'PUT' && action === '') {
      if (typeof body.title === 'string') item.title = body.title;
      if (typeof body.description === 'string') item.description = body.description;
      if (typeof body.add_labels === 'string') item.labels = [...new Set([...item.labels, ...body.add_labels.split(',').filter(Boolean)])];
      if (Array.isArray(body.reviewer_ids)) item.reviewerIds = body.reviewer_ids.map(Number);
      if (body.state_event === 'close' && item.state === 'opened') item.state = 'closed';
      return { status: 200, body: await this.mergeRequestJson(path, item) };
    }
    if (method === 'POST' && action === '/notes') {
      item.notes.push(text(body.body));
      return { status: 201, body: { id: item.notes.length, body: body.body, noteable_type: 'MergeRequest' } };
    }
    if (method === 'PUT' && action === '/merge') return this.accept(path, item, body);
    return { status: 404, body: { message: '404 Not found' } };
  }

  private async accept(path: string, item: FakeMergeRequest, body: Record<string, unknown>): Promise<ApiResponse> {
    if (item.state !== 'opened') return { status: 405, body: { message: '405 Method Not Allowed' } };
    const head = (await this.repos.head(path, item.source)) ?? '';
    if (typeof body.sha === 'string' && body.sha !== head) return { status: 409, body: { message: 'SHA does not match HEAD of source branch' } };
    const status = await this.status(path, item);
    if (status === 'conflict') return { status: 406, body: { message: 'Branch cannot be merged' } };
    if (status !== 'mergeable') {
      if (body.auto_merge !== true && body.merge_when_pipeline_succeeds !== true) return { status: 405, body: { message: '405 Method Not Allowed' } };
      item.autoMerge = true;
      return { status: 200, body: await this.mergeRequestJson(path, item) };
    }
    await this.merge(path, item, head, text(body.merge_commit_message, `Merge branch '${item.source}' into '${item.target}'`), body.squash === true);
    return { status: 200, body: await this.mergeRequestJson(path, item) };
  }

  private async create(path: string, body: Record<string, unknown>): Promise<ApiResponse> {
    const project = this.project(path);
    const source = text(body.source_branch);
    const target = text(body.target_branch);
    if (!(await this.repos.head(path, source))) return { status: 400, body: { message: { source_branch: ['is invalid'] } } };
    if (project.mergeRequests.some((item) => item.source === source && item.target === target && item.state === 'opened')) {
      return { status: 409, body: { message: ['Another open merge request already exists for this source branch'] } };
    }
    const item: FakeMergeRequest = {
      iid: project.mergeRequests.length + 1,
      title: text(body.title),
      description: text(body.description),
      source,
      target,
      state: 'opened',
      mergeCommit: null,
      labels: text(body.labels).split(',').filter(Boolean),
      reviewerIds: Array.isArray(body.reviewer_ids) ? body.reviewer_ids.map(Number) : [],
      notes: [],
      autoMerge: false,
    };
    project.mergeRequests.push(item);
    return { status: 201, body: await this.mergeRequestJson(path, item) };
  }

  private async merge(path: string, item: FakeMergeRequest, head: string, message: string, squash: boolean): Promise<void> {
    const commit = await this.repos.merge(path, item.target, head, message, squash ? 'squash' : 'merge');
    if (commit) Object.assign(item, { state: 'merged', mergeCommit: commit });
  }

  /** GitLab's detailed_merge_status: conflict, ci_must_pass (required statuses not green), mergeable. */
  private async status(path: string, item: FakeMergeRequest): Promise<string> {
    if (item.state !== 'opened') return 'not_open';
    const head = (await this.repos.head(path, item.source)) ?? '';
    const base = (await this.repos.head(path, item.target)) ?? '';
    if (!(await this.repos.mergeTree(path, base, head))) return 'conflict';
    const statuses = this.project(path).statuses.get(head) ?? [];
    const green = this.project(path).requiredChecks.every((name) => statuses.some((status) => status.name === name && status.status === 'success'));
    return green ? 'mergeable' : 'ci_must_pass';
  }

  private async mergeRequestJson(path: string, item: FakeMergeRequest): Promise<Record<string, unknown>> {
    const status = await this.status(path, item);
    return {
      id: this.project(path).id * 1000 + item.iid,
      iid: item.iid,
      project_id: this.project(path).id,
      title: item.title,
      description: item.description,
      state: item.state,
      source_branch: item.source,
      target_branch: item.target,
      sha: (await this.repos.head(path, item.source)) ?? null,
      merge_commit_sha: item.mergeCommit,
      squash_commit_sha: null,
      labels: item.labels,
      reviewers: item.reviewerIds.map((id) => ({ id, username: this.username(id) })),
      detailed_merge_status: status,
      has_conflicts: status === 'conflict',
      merge_when_pipeline_succeeds: item.autoMerge,
      web_url: `${this.url}/${path}/-/merge_requests/${item.iid}`,
    };
  }

  private projectJson(path: string): Record<string, unknown> {
    return {
      id: this.project(path).id,
      path_with_namespace: path,
      default_branch: 'main',
      http_url_to_repo: `${this.url}/git/${path}.git`,
      web_url: `${this.url}/${path}`,
    };
  }
}
