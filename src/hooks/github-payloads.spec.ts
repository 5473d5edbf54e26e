import { describe, expect, it } from 'vitest';
import { mapGitHubEvent } from './github-payloads.js';
import { checkSuiteCompleted, ping, pullRequestClosed, pullRequestReviewSubmitted, statusSuccess } from './testing/github-examples.js';

const delivery = (event: string) => ({ event, deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', source: 'github' });
const repository = { fullName: 'Codertocat/Hello-World', cloneUrl: 'https://github.com/Codertocat/Hello-World.git', sshUrl: 'git@github.com:Codertocat/Hello-World.git', htmlUrl: 'https://github.com/Codertocat/Hello-World' };
const head = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

describe('mapGitHubEvent', () => {
  it.each([
    [
      'check_suite completed',
      'check_suite',
      checkSuiteCompleted,
      'ci.completed',
      { repo: 'codertocat/hello-world', branch: 'flotilla/bump-debug', commit: head },
      { commit: head, conclusion: 'success', url: 'https://api.github.com/repos/Codertocat/Hello-World/check-suites/118578147', repository },
    ],
    [
      'status success',
      'status',
      statusSuccess,
      'ci.completed',
      { repo: 'codertocat/hello-world', commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
      { commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', conclusion: 'success', state: 'success', context: 'default', repository },
    ],
    [
      'status error, as a failure',
      'status',
      { ...statusSuccess, state: 'error', target_url: 'https://ci.example.com/builds/7' },
      'ci.completed',
      { repo: 'codertocat/hello-world', commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
      { commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', conclusion: 'failure', state: 'error', context: 'default', url: 'https://ci.example.com/builds/7', repository },
    ],
    [
      'pull_request closed and merged',
      'pull_request',
      pullRequestClosed,
      'change.merged',
      { repo: 'codertocat/hello-world', branch: 'flotilla/bump-debug' },
      { number: 2, merged: true, commit: head, mergeCommit: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85', url: 'https://github.com/Codertocat/Hello-World/pull/2', repository },
    ],
    [
      'pull_request closed without merging',
      'pull_request',
      { ...pullRequestClosed, pull_request: { ...pullRequestClosed.pull_request, merged: false, merge_commit_sha: null } },
      'change.closed',
      { repo: 'codertocat/hello-world', branch: 'flotilla/bump-debug' },
      { number: 2, merged: false, commit: head, url: 'https://github.com/Codertocat/Hello-World/pull/2', repository },
    ],
    [
      'pull_request_review approved',
      'pull_request_review',
      pullRequestReviewSubmitted,
      'change.approved',
      { repo: 'codertocat/hello-world', branch: 'flotilla/bump-debug' },
      { number: 2, commit: head, reviewer: 'Codertocat', url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671', repository },
    ],
    [
      'pull_request_review changes requested',
      'pull_request_review',
      { ...pullRequestReviewSubmitted, review: { ...pullRequestReviewSubmitted.review, state: 'CHANGES_REQUESTED', body: 'Please pin it.' } },
      'change.changes-requested',
      { repo: 'codertocat/hello-world', branch: 'flotilla/bump-debug' },
      { number: 2, commit: head, reviewer: 'Codertocat', body: 'Please pin it.', url: 'https://github.com/Codertocat/Hello-World/pull/2#pullrequestreview-237895671', repository },
    ],
  ])('maps %s', (_title, event, payload, type, match, data) => {
    const mapped = mapGitHubEvent(payload, delivery(event));
    expect(mapped).toEqual({ kind: 'events', events: [{ source: 'github', type, match, data, deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958', cause: expect.stringMatching(/^github /) as unknown }] });
  });

  it('says why in the cause', () => {
    const mapped = mapGitHubEvent(pullRequestClosed, delivery('pull_request'));
    expect(mapped.kind === 'events' && mapped.events[0]?.cause).toBe('github pull_request: #2 closed (merged) in codertocat/hello-world (delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958)');
  });

  it.each([
    ['ping', ping, 'GitHub event "ping" is not used by Flotilla'],
    ['push', { ref: 'refs/heads/main' }, 'GitHub event "push" is not used by Flotilla'],
    ['check_suite', { ...checkSuiteCompleted, action: 'requested' }, 'GitHub check_suite "requested" is not used by Flotilla'],
    ['status', { ...statusSuccess, state: 'pending' }, 'GitHub status "pending" is not used by Flotilla'],
    ['pull_request', { ...pullRequestClosed, action: 'opened' }, 'GitHub pull_request "opened" is not used by Flotilla'],
    ['pull_request_review', { ...pullRequestReviewSubmitted, review: { ...pullRequestReviewSubmitted.review, state: 'commented' } }, 'GitHub pull_request_review "submitted commented" is not used by Flotilla'],
  ])('ignores %s that Flotilla does not use', (event, payload, reason) => {
    expect(mapGitHubEvent(payload, delivery(event))).toEqual({ kind: 'ignored', reason });
  });

  it.each([
    ['check_suite', { action: 'completed', check_suite: { conclusion: 'success' }, repository: { full_name: 'a/b' } }, /^GitHub check_suite payload: check_suite\.head_sha: /],
    ['pull_request', { action: 'closed', pull_request: { number: '2' }, repository: { full_name: 'a/b' } }, /^GitHub pull_request payload: pull_request\.number: /],
    ['status', [], /^GitHub status payload: payload: /],
  ])('says what is wrong with a malformed %s', (event, payload, reason) => {
    const mapped = mapGitHubEvent(payload, delivery(event));
    expect(mapped.kind).toBe('malformed');
    if (mapped.kind === 'malformed') expect(mapped.reason).toMatch(reason);
  });
});
