import { describe, expect, it } from 'vitest';
import type { Target } from '../../model/fleet.js';
import { createScmResolver } from './scm-for.js';

const target = (repo: string): Target => ({
  spec: { name: 'x', repo, tier: 2, tags: [] },
  facts: { name: 'x', repo, owner: '', tier: 2, tags: [], defaultBranch: 'main', commit: '', languages: [], packageManager: '', dependencies: {}, devDependencies: {}, hasTests: false, testCommand: '' },
});

describe('createScmResolver', () => {
  const resolve = createScmResolver({ GITHUB_TOKEN: 'gh-token-value', GITLAB_TOKEN: 'gl-token-value', FLOTILLA_GITLAB_HOST: 'git.example.org' });
  it.each([
    ['https://github.com/acme/api.git', 'github'],
    ['git@github.com:acme/api.git', 'github'],
    ['https://gitlab.com/acme/group/api.git', 'local-git'],
    ['https://git.example.org/acme/group/api', 'gitlab'],
    ['/srv/repos/api', 'local-git'],
    ['file:///srv/repos/api', 'local-git'],
  ])('%s → %s', (repo, kind) => {
    expect(resolve(target(repo)).kind).toBe(kind);
  });

  it('keeps one adapter per repository', () => {
    expect(resolve(target('https://github.com/acme/api.git'))).toBe(resolve(target('https://github.com/acme/api.git')));
  });
});
