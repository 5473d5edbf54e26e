/**
 * GitHub webhook payloads as GitHub's public documentation shows them (the Codertocat/Hello-World
 * examples), trimmed to a few fields the mapping does not read besides the ones it does, so the tests
 * prove the schemas tolerate the rest.
 */

const repository = {
  id: 186853002,
  node_id: 'MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=',
  name: 'Hello-World',
  full_name: 'Codertocat/Hello-World',
  private: false,
  owner: { login: 'Codertocat', id: 21031067, type: 'User' },
  html_url: 'https://github.com/Codertocat/Hello-World',
  clone_url: 'https://github.com/Codertocat/Hello-World.git',
  ssh_url: 'git@github.com:Codertocat/Hello-World.git',
  default_branch: 'master',
};

const sender = { login: 'Codertocat', id: 21031067, type: 'User' };

const pullRequest = {
  url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2',
  id: 279147437,
  html_url: 'https://github.com/Codertocat/Hello-World/pull/2',
  number: 2,
  state: 'closed',
  locked: false,
  title: 'Update the README with new information.',
  user: sender,
  body: 'This is a pretty simple change that we need to pull into master.',
  merged: true,
  merge_commit_sha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
  head: { label: 'Codertocat:flotilla/bump-debug', ref: 'flotilla/bump-debug', sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', repo: repository },
  base: { label: 'Codertocat:master', ref: 'master', sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', repo: repository },
};

export const checkSuiteCompleted = {
  action: 'completed',
  check_suite: {
    id: 118578147,
    head_branch: 'flotilla/bump-debug',
    head_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    status: 'completed',
    conclusion: 'success',
    url: 'https://api.github.com/repos/Codertocat/Hello-World/check-suites/118578147',
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    pull_requests: [{ number: 2, head: { ref: 'flotilla/bump-debug' } }],
    app: { id: 29310, slug: 'octoapp' },
    latest_check_runs_count: 1,
  },
  repository,
  sender,
};

export const statusSuccess = {
  id: 6805126730,
  sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
  name: 'Codertocat/Hello-World',
  target_url: null,
  context: 'default',
  description: null,
  state: 'success',
  commit: { sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
  branches: [{ name: 'master', commit: { sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' }, protected: false }],
  created_at: '2019-05-15T15:20:55.000Z',
  repository,
  sender,
};

export const pullRequestClosed = { action: 'closed', number: 2, pull_request: pullRequest, repository, sender };

export const pullRequestReviewSubmitted = {
  action: 'submitted',
  review: {
    id: 237895671,
    node_id: 'MDE3OlB1bGxSZXF1ZXN0UmV2aWV3MjM3ODk1Njcx',
    user: sender,
    body: null,
    commit_id: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    submitted_at: '2019-05-15T15:20:38Z',
    state: 'approved',
    html_url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671',
    author_association: 'OWNER',
  },
  pull_request: { ...pullRequest, state: 'open', merged: false, merge_commit_sha: null },
  repository,
  sender,
};

export const ping = { zen: 'Keep it logically awesome.', hook_id: 109948940, hook: { type: 'Repository', events: ['*'] }, repository, sender };
