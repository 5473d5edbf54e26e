import { GitLabScm } from '../gitlab.js';
import type { HostedScmOptions } from '../hosted-options.js';
import type { ContractTarget } from './contract-target.js';
import { FakeGitLab } from './fake-gitlab.js';
import { defineScmContract } from './scm-contract.js';

const TOKEN = 'glpat-contractTOKEN0123456789';
let fake: FakeGitLab;
let counter = 0;

/** GitLabScm against the contract fake of GitLab (real git over smart HTTP, GitLab-shaped REST payloads). */
defineScmContract({
  name: 'GitLab (contract fake)',
  async start() {
    fake = await FakeGitLab.start(TOKEN);
  },
  stop: () => fake.close(),
  async target(files) {
    const path = `acme/platform/svc-${++counter}`;
    await fake.createProject(path, files);
    const logs: ContractTarget['logs'] = [];
    const make = (extra: Partial<HostedScmOptions> = {}): GitLabScm =>
      new GitLabScm({
        project: path,
        host: fake.url,
        token: TOKEN,
        labels: ['flotilla'],
        retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
        pollMs: 20,
        log: (level, message, fields) => logs.push({ level, message, fields }),
        ...extra,
      });
    return {
      adapter: make(),
      logs,
      head: (branch) => fake.repos.head(path, branch),
      show: (ref, file) => fake.repos.show(path, ref, file),
      commit: (branch, changed, message) => fake.repos.commit(path, branch, changed, message),
      changeInfo: (id) => {
        const request = fake.mergeRequest(path, Number(id));
        if (!request) throw new Error(`no merge request ${id}`);
        const reviewers = request.reviewerIds.map((user) => fake.username(user) ?? String(user));
        return Promise.resolve({ state: request.state === 'opened' ? 'open' : request.state, title: request.title, labels: request.labels, reviewers, comments: request.notes });
      },
      reportCheck: (commit, check, state) => fake.setStatus(path, commit, check, state),
      requireCheck: (check) => fake.requireChecks(path, [check]),
      autoMergeEnabled: (id) => fake.mergeRequest(path, Number(id))?.autoMerge === true,
      withOptions: (options) => make(options),
      // Gitbeaker retries 429 and 502 ten times by itself before the adapter sees one.
      http: { token: TOKEN, requests: fake.requests, inject: (fault) => fake.inject(fault), absorbed429: 10 },
    };
  },
});
