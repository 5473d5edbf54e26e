import { describe, expect, it } from 'vitest';
import { campaignOfBranch, repoSlug } from './external-event.js';

describe('repoSlug', () => {
  it.each([
    ['Codertocat/Hello-World', 'codertocat/hello-world'],
    ['https://github.com/Codertocat/Hello-World.git', 'codertocat/hello-world'],
    ['https://github.com/Codertocat/Hello-World/', 'codertocat/hello-world'],
    ['git@github.com:Codertocat/Hello-World.git', 'codertocat/hello-world'],
    ['ssh://git@gitlab.example.com/group/sub/app.git', 'sub/app'],
    ['./repos/billing-api', undefined],
    ['billing-api', undefined],
  ])('%s → %s', (repo, slug) => {
    expect(repoSlug(repo)).toBe(slug);
  });
});

describe('campaignOfBranch', () => {
  it.each([
    ['flotilla/bump-debug', 'bump-debug'],
    ['flotilla/Bump', undefined],
    ['feature/x', undefined],
    [undefined, undefined],
  ])('%s → %s', (branch, campaign) => {
    expect(campaignOfBranch(branch)).toBe(campaign);
  });
});
