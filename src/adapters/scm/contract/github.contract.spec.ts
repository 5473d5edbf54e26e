import { GitHubScm } from '../github.js';
import type { HostedScmOptions } from '../hosted-options.js';
import type { ContractTarget } from './contract-target.js';
import { FakeGitHub } from './fake-github.js';
import { defineScmContract } from './scm-contract.js';

const TOKEN = 'ghp_contractTOKEN0123456789abcdef';
let fake: FakeGitHub;
let counter = 0;

/** GitHubScm against the contract fake of GitHub (real git over smart HTTP, GitHub-shaped REST payloads). */
defineScmContract({
  name: 'GitHub (contract fake)',
  async start() {
    fake = await FakeGitHub.start(TOKEN);
  },
  stop: () => fake.close(),
  async target(files) {
    const repo = `svc-${++counter}`;
    const name = `acme/${repo}`;
    await fake.createRepository(name, files);
    const logs: ContractTarget['logs'] = [];
    const make = (extra: Partial<HostedScmOptions> = {}): GitHubScm =>
      new GitHubScm({
        owner: 'acme',
        repo,
        apiUrl: fake.apiUrl,
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
      head: (branch) => fake.repos.head(name, branch),
      show: (ref, file) => fake.repos.show(name, ref, file),
      commit: (branch, changed, message) => fake.repos.commit(name, branch, changed, message),
      changeInfo: (id) => {
        const pull = fake.pull(name, Number(id));
        if (!pull) throw new Error(`no pull request ${id}`);
        const state = pull.merged ? 'merged' : pull.state;
        return Promise.resolve({ state, title: pull.title, labels: pull.labels, reviewers: pull.reviewers, comments: pull.comments });
      },
      reportCheck: (commit, check, state) => fake.setStatus(name, commit, check, state),
      requireCheck: (check) => fake.requireChecks(name, [check]),
      autoMergeEnabled: (id) => fake.pull(name, Number(id))?.autoMerge != null,
      withOptions: (options) => make(options),
      http: { token: TOKEN, requests: fake.requests, inject: (fault) => fake.inject(fault), absorbed429: 0 },
    };
  },
});
