import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFleet } from '../config/load-fleet.js';
import { discoverFleet, renderFleetYaml } from './discover-fleet.js';
import { createGitRepo } from './testing/git-repo.js';

describe('discoverFleet', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-discover-'));
    await createGitRepo(join(root, 'web'), { 'package.json': '{"scripts":{"test":"vitest run"}}' });
    await createGitRepo(join(root, 'services', 'api'), { 'main.go': '' });
    await createGitRepo(join(root, 'legacy', 'api'), { 'index.js': '' });
    await createGitRepo(join(root, 'node_modules', 'dep'), {});
    await createGitRepo(join(root, 'a', 'b', 'too-deep'), {});
    await mkdir(join(root, 'empty'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds repositories one and two levels down, with unique names and detected tests', async () => {
    expect(await discoverFleet(root)).toEqual({
      targets: [
        { name: 'legacy/api', repo: './legacy/api', tier: 2, tags: [] },
        { name: 'services/api', repo: './services/api', tier: 2, tags: [] },
        { name: 'web', repo: './web', tier: 2, tags: [], test: 'npm test' },
      ],
    });
  });

  it('renders YAML with a header that loads back to the same fleet', async () => {
    const spec = await discoverFleet(root);
    const text = renderFleetYaml(spec);
    expect(text.startsWith('# Flotilla fleet:')).toBe(true);
    expect(text).toContain('  - name: web\n    repo: ./web\n    tier: 2\n    tags: []\n    test: npm test\n');
    const loaded = await parseFleet(text, join(root, 'fleet.yaml'));
    expect(loaded.targets.map((target) => [target.name, target.repo, target.test])).toEqual(
      spec.targets.map((target) => [target.name, join(root, target.repo), target.test]),
    );
  });

  it('renders an empty fleet', () => {
    expect(renderFleetYaml({ targets: [] }, ' empty')).toBe('# empty\n\ntargets: []\n');
  });
});
