import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/git.js';
import { detectFacts } from './detect-facts.js';
import { isRepositoryUrl, isUnsupportedUrl, mirrorPath, resolveRepository } from './repository-cache.js';
import { createGitRepo } from './testing/git-repo.js';

describe('isRepositoryUrl', () => {
  it.each([
    ['https://example.com/org/repo.git', true, false],
    ['ssh://git@example.com/org/repo.git', true, false],
    ['file:///repos/org/repo.git', true, false],
    ['git@example.com:org/repo.git', true, false],
    ['./services/api', false, false],
    ['services/api', false, false],
    ['http://example.com/repo.git', false, true],
    ['ext::sh -c true', false, true],
    ['-oProxyCommand=x@host:path', false, false],
  ])('%s', (repo, url, unsupported) => {
    expect([isRepositoryUrl(repo), isUnsupportedUrl(repo)]).toEqual([url, unsupported]);
  });
});

describe('resolveRepository', () => {
  let root = '';
  let origin = '';
  let url = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-mirror-'));
    origin = join(root, 'origin');
    await createGitRepo(origin, { 'package.json': '{"dependencies":{"debug":"4.3.0"}}' });
    url = pathToFileURL(origin).href;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('returns a local path as it is', async () => {
    expect(await resolveRepository(origin, join(root, 'state'))).toBe(origin);
  });

  it('mirrors a URL once, fetches on later calls, and shares concurrent calls', async () => {
    const state = join(root, 'state');
    const [first, second] = await Promise.all([resolveRepository(url, state), resolveRepository(url, state)]);
    expect(first).toBe(mirrorPath(url, state));
    expect(second).toBe(first);
    expect(first.startsWith(join(state, 'mirrors'))).toBe(true);
    expect(await git(first, ['rev-parse', '--is-bare-repository'])).toBe('true');

    await writeFile(join(origin, 'package.json'), '{"dependencies":{"debug":"4.4.0"}}');
    await git(origin, ['commit', '--quiet', '-am', 'bump']);
    const again = await resolveRepository(url, state);
    const facts = await detectFacts({ name: 'origin', repo: url, tier: 2, tags: [] }, again);
    expect([facts.repo, facts.dependencies.debug, facts.commit]).toEqual([url, '4.4.0', await git(origin, ['rev-parse', 'HEAD'])]);
  });

  it('fails with git’s reason for a URL that cannot be cloned', async () => {
    const missing = pathToFileURL(join(root, 'missing')).href;
    await expect(resolveRepository(missing, join(root, 'state'))).rejects.toMatchObject({ code: 'external' });
  });
});
