import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../process/exec.js';
import { npmEnv } from './npm-env.js';
import { startNpmRegistry, type NpmRegistry } from './npm-registry.js';

interface Packument {
  'dist-tags': Record<string, string>;
  versions: Record<string, { dist: { tarball: string; integrity: string; shasum: string } }>;
  time: Record<string, string>;
}

describe('startNpmRegistry', () => {
  let registry: NpmRegistry;
  let root: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'flotilla-registry-'));
    registry = await startNpmRegistry([
      { name: 'tiny-ms', version: '2.1.3', files: { 'index.js': 'module.exports = (n) => `${n}ms`;\n' }, license: 'MIT' },
      {
        name: '@acme/greet',
        version: '1.0.0',
        files: { 'index.js': "module.exports = () => 'hello 1';\n" },
        dependencies: { 'tiny-ms': '^2.1.0' },
      },
      {
        name: '@acme/greet',
        version: '1.1.0',
        files: { 'index.js': "const ms = require('tiny-ms');\nmodule.exports = () => 'hello ' + ms(11);\n", 'lib/deep/a.txt': 'x' },
        dependencies: { 'tiny-ms': '^2.1.0' },
      },
      { name: '@acme/greet', version: '2.0.0-beta.1', files: { 'index.js': "module.exports = () => 'beta';\n" } },
    ]);
    env = npmEnv({ registry: registry.url, cache: join(root, 'cache') });
  });

  afterAll(async () => {
    await registry.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves a scoped packument with dist-tags, times and dist fields', async () => {
    const response = await fetch(`${registry.url}/@acme%2fgreet`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Packument;
    expect(body['dist-tags']).toEqual({ latest: '1.1.0' });
    expect(Object.keys(body.versions)).toEqual(['1.0.0', '1.1.0', '2.0.0-beta.1']);
    expect(body.time['1.1.0']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const dist = body.versions['1.1.0']?.dist;
    expect(dist?.tarball).toBe(`${registry.url}/@acme/greet/-/greet-1.1.0.tgz`);

    const tarball = Buffer.from(await (await fetch(dist?.tarball ?? '')).arrayBuffer());
    expect(dist?.integrity).toBe(`sha512-${createHash('sha512').update(tarball).digest('base64')}`);
    expect(dist?.shasum).toBe(createHash('sha1').update(tarball).digest('hex'));
  });

  it('answers 404 for unknown packages and versions', async () => {
    expect((await fetch(`${registry.url}/nope`)).status).toBe(404);
    expect((await fetch(`${registry.url}/tiny-ms/-/tiny-ms-9.9.9.tgz`)).status).toBe(404);
  });

  it('builds tarballs that the system tar reads, with the package/ prefix', async () => {
    const file = join(root, 'greet.tgz');
    await writeFile(file, Buffer.from(await (await fetch(`${registry.url}/@acme/greet/-/greet-1.1.0.tgz`)).arrayBuffer()));
    const listing = await exec('tar', ['-tzf', file], { cwd: root });
    expect(listing.exitCode).toBe(0);
    expect(listing.stdout.trim().split('\n').sort()).toEqual(['package/index.js', 'package/lib/deep/a.txt', 'package/package.json']);
  });

  it('installs with the real npm client, and npm ci verifies the integrity it locked', async () => {
    const project = join(root, 'project');
    await exec('mkdir', ['-p', project], { cwd: root });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', private: true }));

    const install = await exec('npm', ['install', '@acme/greet', '--no-audit', '--no-fund'], { cwd: project, env });
    expect(install.exitCode, install.stderr).toBe(0);
    const run = await exec('node', ['-e', "console.log(require('@acme/greet')())"], { cwd: project, env });
    expect(run.stdout.trim()).toBe('hello 11ms');

    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    const packument = (await (await fetch(`${registry.url}/@acme%2fgreet`)).json()) as Packument;
    expect(lock.packages['node_modules/@acme/greet']).toMatchObject({
      version: '1.1.0',
      integrity: packument.versions['1.1.0']?.dist.integrity,
    });
    expect(lock.packages['node_modules/tiny-ms']?.version).toBe('2.1.3');

    await rm(join(project, 'node_modules'), { recursive: true });
    const ci = await exec('npm', ['ci', '--no-audit', '--no-fund'], { cwd: project, env });
    expect(ci.exitCode, ci.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(project, 'node_modules/@acme/greet/package.json'), 'utf8')) as unknown;
    expect(manifest).toMatchObject({ name: '@acme/greet', version: '1.1.0', dependencies: { 'tiny-ms': '^2.1.0' } });
  });
});
