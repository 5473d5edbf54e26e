import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/git.js';
import type { TargetSpec } from '../model/fleet.js';
import { compileTargetSelector } from '../expr/cel.js';
import { detectFacts } from './detect-facts.js';
import { createMemoryFactsCache } from './facts-cache.js';
import { createGitRepo } from './testing/git-repo.js';

const packageJson = JSON.stringify({
  name: 'web',
  scripts: { test: 'vitest run' },
  dependencies: { debug: '^4.3.0', express: '^4.18.0' },
  optionalDependencies: { fsevents: '^2.3.0' },
  peerDependencies: { react: '>=18' },
  devDependencies: { vitest: '^4.0.0', debug: '^4.0.0' },
});

const spec = (repo: string, extra: Partial<TargetSpec> = {}): TargetSpec => ({ name: 'web', repo, tier: 1, tags: ['web'], ...extra });

describe('detectFacts', () => {
  let root = '';
  let web = '';
  let webCommit = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-facts-'));
    web = join(root, 'web');
    webCommit = await createGitRepo(web, {
      'package.json': packageJson,
      'package-lock.json': '{}',
      'src/a.ts': '',
      'src/b.ts': '',
      'src/c.tsx': '',
      'src/d.js': '',
      'scripts/build.sh': '',
      'vendor/x/y.go': '',
      'README.md': '',
    });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a real repository without a checkout', async () => {
    const facts = await detectFacts(spec(web, { owner: 'payments' }), web);
    expect(facts).toEqual({
      name: 'web',
      repo: web,
      owner: 'payments',
      tier: 1,
      tags: ['web'],
      defaultBranch: 'main',
      commit: webCommit,
      languages: ['typescript', 'javascript', 'shell'],
      packageManager: 'npm',
      dependencies: { debug: '^4.3.0', express: '^4.18.0', fsevents: '^2.3.0', react: '>=18', vitest: '^4.0.0' },
      devDependencies: { vitest: '^4.0.0', debug: '^4.0.0' },
      hasTests: true,
      testCommand: 'npm test',
      path: '',
    });
  });

  it('ignores uncommitted files and reads the commit of the given branch', async () => {
    await writeFile(join(web, 'yarn.lock'), '');
    await git(web, ['checkout', '--quiet', '-b', 'feature']);
    await git(web, ['rm', '--quiet', 'package-lock.json']);
    await git(web, ['commit', '--quiet', '-m', 'drop the lockfile']);
    await git(web, ['checkout', '--quiet', 'main']);
    const onMain = await detectFacts(spec(web), web);
    const onFeature = await detectFacts(spec(web, { branch: 'feature' }), web);
    expect([onMain.packageManager, onMain.defaultBranch, onMain.commit]).toEqual(['npm', 'main', webCommit]);
    expect([onFeature.packageManager, onFeature.defaultBranch]).toEqual(['', 'feature']);
    await rm(join(web, 'yarn.lock'));
  });

  it.each([
    ['pnpm', { 'pnpm-lock.yaml': '', 'package.json': '{}' }, { packageManager: 'pnpm', hasTests: false, testCommand: '' }],
    ['yarn', { 'yarn.lock': '', 'package.json': '{}' }, { packageManager: 'yarn', hasTests: false, testCommand: '' }],
    ['corepack', { 'package.json': '{"packageManager":"pnpm@9.1.0"}' }, { packageManager: 'pnpm' }],
    ['npm default test script', { 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' }, { hasTests: false, testCommand: '' }],
    ['go tests', { 'go.mod': 'module x', 'main.go': '', 'main_test.go': '' }, { languages: ['go'], hasTests: true, testCommand: '', packageManager: '' }],
    ['a tests folder', { 'app.py': '', 'tests/conftest.py': '' }, { languages: ['python'], hasTests: true }],
    ['a malformed package.json', { 'package.json': '{ nope' }, { dependencies: {}, testCommand: '' }],
    [
      'Maven dependencies',
      { 'pom.xml': '<project><dependencies><dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency></dependencies></project>', 'src/main/java/A.java': '' },
      { languages: ['java'], dependencies: { 'org.slf4j:slf4j-api': '2.0.9' }, packageManager: '' },
    ],
    [
      'Gradle catalog dependencies',
      { 'build.gradle.kts': 'dependencies { implementation(libs.okhttp) }\n', 'gradle/libs.versions.toml': '[versions]\nok = "4.9.0"\n[libraries]\nokhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "ok" }\n' },
      { dependencies: { 'com.squareup.okhttp3:okhttp': '4.9.0' } },
    ],
    ['Python dependencies', { 'requirements.txt': 'requests==2.31.0\n', 'pyproject.toml': '[tool.poetry.dependencies]\nFlask = "^3.0"\n' }, { dependencies: { requests: '==2.31.0', flask: '^3.0' } }],
    ['Go dependencies', { 'go.mod': 'module x\n\nrequire github.com/google/uuid v1.3.0\n', 'vendor/modules.txt': '' }, { dependencies: { 'github.com/google/uuid': 'v1.3.0' } }],
    ['npm winning over a same-named Python dependency', { 'package.json': '{"dependencies":{"six":"^1.0.0"}}', 'requirements.txt': 'six==1.16.0\n' }, { dependencies: { six: '^1.0.0' } }],
  ])('detects %s', async (title, files, expected) => {
    const path = join(root, title.replace(/\W+/g, '-'));
    await createGitRepo(path, files);
    expect(await detectFacts(spec(path), path)).toMatchObject(expected);
  });

  it('prefers the declared test command, which implies tests', async () => {
    const path = join(root, 'declared');
    await createGitRepo(path, { 'main.go': '' });
    expect(await detectFacts(spec(path, { test: 'make check' }), path)).toMatchObject({ hasTests: true, testCommand: 'make check' });
  });

  it('caches what the commit content tells, by repository and commit', async () => {
    const cache = createMemoryFactsCache();
    const first = await detectFacts(spec(web), web, cache);
    expect(cache.get(web, webCommit)?.languages).toEqual(first.languages);
    cache.set(web, webCommit, { ...first, languages: ['cobol'] });
    expect((await detectFacts(spec(web), web, cache)).languages).toEqual(['cobol']);
    expect(cache.size).toBe(1);
  });

  it('says which branch is missing', async () => {
    await expect(detectFacts(spec(web, { branch: 'nope' }), web)).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('branch "nope"') as unknown });
  });

  it('feeds target selection', async () => {
    const facts = await detectFacts(spec(web), web);
    expect(compileTargetSelector("'debug' in dependencies")(facts)).toBe(true);
    expect(compileTargetSelector("tier <= 1 && 'web' in tags")(facts)).toBe(true);
    expect(compileTargetSelector("tier <= 1 && 'web' in tags")({ ...facts, tier: 3 })).toBe(false);
    expect(compileTargetSelector("'react' in devDependencies")(facts)).toBe(false);
  });
});
