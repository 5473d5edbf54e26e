import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmEnv } from '../../demo/npm-env.js';
import { startNpmRegistry, type NpmRegistry } from '../../demo/npm-registry.js';
import { FlotillaError } from '../../model/errors.js';
import { exec } from '../../process/exec.js';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext } from '../testing/step-context.js';
import { bumpKind, npmBumpDependency } from './bump-dependency.js';

const MARKER = 'install-script-ran';
const WRITE_MARKER = `node -e "require('fs').writeFileSync(require('path').join(process.env.INIT_CWD, '${MARKER}'), 'yes')"`;

let registry: NpmRegistry;
let root: string;
let env: Record<string, string | undefined>;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-bump-'));
  registry = await startNpmRegistry([
    { name: 'ms', version: '2.1.3', files: { 'index.js': 'module.exports = () => 1;\n' } },
    { name: 'debug', version: '4.3.4', files: { 'index.js': 'module.exports = () => 434;\n' }, dependencies: { ms: '2.1.3' } },
    // A release whose install script would leave a marker behind if npm ever ran it.
    {
      name: 'debug',
      version: '4.4.1',
      files: { 'index.js': 'module.exports = () => 441;\n' },
      dependencies: { ms: '^2.1.3' },
      scripts: { install: WRITE_MARKER },
    },
  ]);
  env = npmEnv({ registry: registry.url, cache: join(root, 'npm-cache') });
});

afterAll(async () => {
  await registry.close();
  await rm(root, { recursive: true, force: true });
});

async function workspaceWith(packageJson: string | undefined): Promise<string> {
  const workspace = join(root, `ws-${++counter}`);
  await mkdir(workspace);
  if (packageJson !== undefined) await writeFile(join(workspace, 'package.json'), packageJson);
  return workspace;
}

async function bump(workspace: string, version = '4.4.1') {
  const ctx = makeTestContext({ workspace, env });
  const result = await npmBumpDependency.run(npmBumpDependency.input.parse({ package: 'debug', version }), ctx);
  return { result, ctx };
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

describe('npm/bump-dependency in package.json', () => {
  it.each([
    ['^4.3.4', '^4.4.1'],
    ['~4.3.4', '~4.4.1'],
    ['4.3.4', '4.4.1'],
    ['>=4.3.4', '>=4.4.1'],
    ['=4.3.4', '=4.4.1'],
    ['^4.0.0-rc.1', '^4.4.1'],
  ])('keeps the range style: %s becomes %s', async (before, after) => {
    const workspace = await workspaceWith(`{\n  "name": "svc",\n  "dependencies": {\n    "debug": "${before}"\n  }\n}\n`);
    const { result } = await bump(workspace);
    expect(isEndRun(result)).toBe(false);
    expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe(
      `{\n  "name": "svc",\n  "dependencies": {\n    "debug": "${after}"\n  }\n}\n`,
    );
    expect(result).toMatchObject({ package: 'debug', to: '4.4.1', files: ['package.json'] });
  });

  it.each([['4.x'], ['*'], ['latest'], ['>=4 <5'], ['^3.0.0 || ^4.0.0'], ['git+https://example.test/debug.git'], ['file:../debug'], ['https://example.test/debug.tgz'], ['npm:other@4.3.4']])(
    'refuses %s with a reason and leaves the file alone',
    async (spec) => {
      const text = `{"dependencies":{"debug":${JSON.stringify(spec)}}}`;
      const workspace = await workspaceWith(text);
      const { result } = await bump(workspace);
      expect(isEndRun(result) && result.outcome).toBe('needs-human');
      expect(isEndRun(result) && result.reasons[0]).toContain(`debug in dependencies is "${spec}"`);
      expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe(text);
    },
  );

  it('is byte-identical to a hand edit, whatever the formatting', async () => {
    const before = [
      '{',
      '\t"name" : "odd-format",',
      '\t"description": "logs with \\"debug\\": ^4.3.4",',
      '\t"keywords": [ "debug", {"debug": "^4.3.4"} ],',
      '\t"dependencies": { "ms":"2.1.3", "debug":"^4.3.4" },',
      '\t"overrides": { "debug": "^4.3.4" },',
      '\t"devDependencies": {',
      '\t\t"debug"  :  "~4.3.4"',
      '\t},',
      '\t"peerDependencies": {"debug": ">=4.3.4"}',
      '}',
    ].join('\r\n');
    const handEdited = before
      .replace('"debug":"^4.3.4"', '"debug":"^4.4.1"')
      .replace('"debug"  :  "~4.3.4"', '"debug"  :  "~4.4.1"')
      .replace('{"debug": ">=4.3.4"}', '{"debug": ">=4.4.1"}');
    const workspace = await workspaceWith(before);
    const { result } = await bump(workspace);
    expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe(handEdited);
    expect(result).toEqual({ package: 'debug', from: '4.3.4', to: '4.4.1', kind: 'minor', files: ['package.json'] });
  });

  it('skips a target that does not depend on the package, or has no package.json', async () => {
    for (const workspace of [await workspaceWith('{"dependencies":{"ms":"^2.1.3"}}\n'), await workspaceWith(undefined)]) {
      const { result } = await bump(workspace);
      expect(isEndRun(result) && result.outcome).toBe('skipped');
      expect(isEndRun(result) && result.reasons).toEqual(['debug is not a dependency of this target']);
    }
  });

  it('skips a target already at the version', async () => {
    const text = '{"dependencies":{"debug":"^4.4.1"},"devDependencies":{"debug":"4.4.1"}}';
    const workspace = await workspaceWith(text);
    const { result } = await bump(workspace);
    expect(isEndRun(result) && result.reasons).toEqual(['already at 4.4.1']);
    expect(isEndRun(result) && result.output).toMatchObject({ from: '4.4.1', kind: 'none', files: [] });
    expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe(text);
  });

  it('has examples its own input schema accepts, and rejects a range as the version', () => {
    for (const example of npmBumpDependency.examples) expect(npmBumpDependency.input.safeParse(example.with).success).toBe(true);
    expect(npmBumpDependency.input.safeParse({ package: 'debug', version: '^4.4.1' }).success).toBe(false);
  });

  it.each([
    ['4.3.4', '4.4.1', 'minor'],
    ['1.2.0', '2.0.0', 'major'],
    ['1.2.0', '1.2.1', 'patch'],
    ['1.2.0', '2.0.0-beta.1', 'prerelease'],
    ['1.2.0', '1.2.0', 'none'],
  ])('calls %s → %s a %s bump', (from, to, kind) => {
    expect(bumpKind(from, to)).toBe(kind);
  });
});

describe('npm/bump-dependency with a lockfile', () => {
  async function lockedWorkspace(): Promise<string> {
    const workspace = await workspaceWith('{\n  "name": "svc",\n  "version": "1.0.0"\n}\n');
    const setup = await exec('npm', ['install', '--package-lock-only', '--ignore-scripts', 'debug@4.3.4'], { cwd: workspace, env });
    expect(setup.exitCode, setup.stderr).toBe(0);
    return workspace;
  }

  const readLock = async (workspace: string) =>
    JSON.parse(await readFile(join(workspace, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };

  it('updates package-lock.json to the new version and integrity without running any install script', async () => {
    const workspace = await lockedWorkspace();
    expect((await readLock(workspace)).packages['node_modules/debug']?.version).toBe('4.3.4');

    const { result, ctx } = await bump(workspace);
    expect(result).toEqual({ package: 'debug', from: '4.3.4', to: '4.4.1', kind: 'minor', files: ['package.json', 'package-lock.json'] });
    const packument = (await (await fetch(`${registry.url}/debug`)).json()) as {
      versions: Record<string, { dist: { integrity: string } }>;
    };
    const lock = await readLock(workspace);
    expect(lock.packages['node_modules/debug']).toMatchObject({ version: '4.4.1', integrity: packument.versions['4.4.1']?.dist.integrity });
    expect(lock.packages['']).toMatchObject({ dependencies: { debug: '^4.4.1' } });
    expect(ctx.logs.some((record) => record.level === 'output' && record.message.includes('npm install --package-lock-only'))).toBe(true);
    expect(await exists(join(workspace, MARKER))).toBe(false);
    expect(await exists(join(workspace, 'node_modules'))).toBe(false);

    // The control: a plain install of the same lockfile does run the script, so the marker can appear.
    const install = await exec('npm', ['ci', '--no-audit', '--no-fund'], { cwd: workspace, env });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(await exists(join(workspace, MARKER))).toBe(true);
  });

  it('keeps the hand-edit formatting of package.json when npm runs too', async () => {
    const workspace = await lockedWorkspace();
    const odd = '{\r\n\t"name" : "svc", "version":"1.0.0",\r\n\t"dependencies": {"debug":   "^4.3.4"}\r\n}';
    await writeFile(join(workspace, 'package.json'), odd);
    const { result } = await bump(workspace);
    expect(result).toMatchObject({ files: ['package.json', 'package-lock.json'] });
    expect(await readFile(join(workspace, 'package.json'), 'utf8')).toBe(odd.replace('"^4.3.4"', '"^4.4.1"'));
  });

  it('finishes a lockfile an interrupted attempt left behind instead of skipping', async () => {
    const workspace = await lockedWorkspace();
    const manifest = join(workspace, 'package.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('^4.3.4', '^4.4.1'));
    const { result } = await bump(workspace);
    expect(isEndRun(result)).toBe(false);
    expect(result).toMatchObject({ files: ['package-lock.json'] });
    expect((await readLock(workspace)).packages['node_modules/debug']?.version).toBe('4.4.1');
  });

  it('fails with npm own words, not retryable, when the version does not exist', async () => {
    const workspace = await lockedWorkspace();
    const error = await bump(workspace, '9.9.9').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(FlotillaError);
    expect(error).toMatchObject({ code: 'external', retryable: false });
    expect((error as Error).message).toMatch(/No matching version found for debug@\^9\.9\.9/);
  });
});
