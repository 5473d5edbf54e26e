import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlotillaError } from '../model/errors.js';
import { createGitRepo } from '../facts/testing/git-repo.js';
import { loadFleet, parseFleet } from './load-fleet.js';

describe('loadFleet', () => {
  let root = '';
  let fleetFile = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-fleet-'));
    fleetFile = join(root, 'fleet.yaml');
    await createGitRepo(join(root, 'services', 'api'), { 'a.ts': '' });
    await createGitRepo(join(root, 'web'), { 'a.ts': '' });
    await mkdir(join(root, 'plain'));
    await mkdir(join(root, 'web', 'inner'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** The rejection's message, with the temporary folder's fleet path shown as `fleet.yaml`. */
  async function failure(text: string): Promise<string> {
    try {
      await parseFleet(text, fleetFile);
    } catch (error) {
      if (isFlotillaError(error)) {
        expect(error.code).toBe('bad-input');
        expect(error.location?.file).toBe(fleetFile);
        return error.message.split(fleetFile).join('fleet.yaml');
      }
      throw error;
    }
    throw new Error('expected the fleet to be rejected');
  }

  it('loads a fleet, resolving local repositories from its folder and keeping URLs', async () => {
    const text = [
      'targets:',
      '  - name: api',
      '    repo: ./services/api',
      '    tier: 0',
      '    tags: [payments]',
      '  - name: web',
      '    repo: web',
      '  - name: remote',
      '    repo: git@example.com:org/remote.git',
      '',
    ].join('\n');
    await writeFile(fleetFile, text);
    expect(await loadFleet(fleetFile)).toEqual({
      targets: [
        { name: 'api', repo: join(root, 'services', 'api'), tier: 0, tags: ['payments'] },
        { name: 'web', repo: join(root, 'web'), tier: 2, tags: [] },
        { name: 'remote', repo: 'git@example.com:org/remote.git', tier: 2, tags: [] },
      ],
    });
  });

  it.each([
    [
      'a missing repository',
      'targets:\n  - name: foo\n    repo: ./services/foo\n',
      'fleet.yaml:3:11 targets[0].repo: repository not found: ./services/foo (paths are relative to the fleet file)',
    ],
    ['a folder that is not a repository', 'targets:\n  - name: p\n    repo: ./plain\n', 'fleet.yaml:3:11 targets[0].repo: not a git repository: ./plain'],
    ['a folder inside a repository', 'targets:\n  - name: p\n    repo: ./web/inner\n', /^fleet\.yaml:3:11 targets\[0\]\.repo: not the root of a git repository: \.\/web\/inner/],
    [
      'an unsupported URL',
      'targets:\n  - name: p\n    repo: http://example.com/p.git\n',
      'fleet.yaml:3:11 targets[0].repo: unsupported repository URL: http://example.com/p.git (use https://, ssh://, file:// or git@host:path)',
    ],
    [
      'duplicate target names',
      'targets:\n  - name: web\n    repo: ./web\n  - name: api\n    repo: ./services/api\n  - name: web\n    repo: ./web\n',
      'fleet.yaml:6:11 targets[2].name: duplicate target name "web" on lines 2 and 6',
    ],
    ['a tier out of range', 'targets:\n  - name: web\n    repo: ./web\n    tier: 7\n', 'fleet.yaml:4:11 targets[0].tier: must be at most 3'],
    [
      'an unknown field',
      'targets:\n  - name: web\n    repo: ./web\n    owners: team\n',
      'fleet.yaml:4:5 targets[0].owners: unknown field "owners"; did you mean owner?; allowed: name, repo, branch, owner, tier, tags, test, path',
    ],
    ['a missing name', 'targets:\n  - repo: ./web\n', 'fleet.yaml:2:5 targets[0].name: required field is missing'],
    ['malformed YAML', 'targets:\n  - name: "web\n', /^fleet\.yaml:\d+:\d+: invalid YAML: Missing closing "quote/],
  ])('rejects %s, naming the line', async (_title, text, expected) => {
    const message = await failure(text);
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  it('reports every bad target at once', async () => {
    const message = await failure('targets:\n  - name: a\n    repo: ./nope-a\n  - name: b\n    repo: ./nope-b\n');
    expect(message).toBe(
      [
        '2 problems:',
        '  fleet.yaml:3:11 targets[0].repo: repository not found: ./nope-a (paths are relative to the fleet file)',
        '  fleet.yaml:5:11 targets[1].repo: repository not found: ./nope-b (paths are relative to the fleet file)',
      ].join('\n'),
    );
  });

  it('says when the fleet file does not exist', async () => {
    await expect(loadFleet(join(root, 'nope.yaml'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
