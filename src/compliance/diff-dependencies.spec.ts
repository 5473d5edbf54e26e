import { describe, expect, it } from 'vitest';
import { diffDependencies, normaliseLicence, semverKind } from './diff-dependencies.js';

const basePkg = { dependencies: { express: '^4.18.0', debug: '^4.3.0' }, devDependencies: { vitest: '^1.0.0' } };
const headPkg = { dependencies: { express: '^5.0.0', debug: '^4.3.0', zod: '^3.23.0' }, devDependencies: { vitest: '^1.0.0' } };

function lock(packages: Record<string, Record<string, unknown>>) {
  return { name: 'svc', lockfileVersion: 3, requires: true, packages: { '': { name: 'svc' }, ...packages } };
}

const baseLock = lock({
  'node_modules/express': { version: '4.18.2', license: 'MIT' },
  'node_modules/debug': { version: '4.3.4', license: 'MIT' },
  'node_modules/ms': { version: '2.1.2', license: 'MIT' },
  'node_modules/express/node_modules/debug': { version: '2.6.9', license: 'MIT' },
  'node_modules/qs': { version: '6.11.0', license: 'BSD-3-Clause' },
  'node_modules/vitest': { version: '1.6.0', license: 'MIT', dev: true },
  'node_modules/tinypool': { version: '0.8.4', license: 'MIT', dev: true },
});
const headLock = lock({
  'node_modules/express': { version: '5.0.1', license: 'MIT' },
  'node_modules/debug': { version: '4.3.4', license: 'MIT' },
  'node_modules/ms': { version: '2.1.3', license: 'MIT' },
  'node_modules/qs': { version: '6.13.0', license: 'BSD-3-Clause' },
  'node_modules/zod': { version: '3.23.8', license: 'MIT' },
  'node_modules/router': { version: '2.0.0' },
  'node_modules/vitest': { version: '1.6.0', license: 'MIT', dev: true },
  'node_modules/tinypool': { version: '0.8.5-beta.1', license: 'MIT', dev: true },
  'packages/shared': { version: '1.0.0' },
  'node_modules/shared': { version: '1.0.0', link: true, resolved: 'packages/shared' },
});

describe('diffDependencies with lockfiles', () => {
  const changes = diffDependencies(basePkg, headPkg, baseLock, headLock);
  const byName = (name: string) => changes.filter((change) => change.name === name);

  it('reports direct and transitive changes with their semver kind and licence', () => {
    expect(byName('express')).toEqual([
      { ecosystem: 'npm', name: 'express', change: 'changed', from: '4.18.2', to: '5.0.1', kind: 'major', licence: 'MIT', direct: true, dev: false },
    ]);
    expect(byName('ms')).toEqual([
      { ecosystem: 'npm', name: 'ms', change: 'changed', from: '2.1.2', to: '2.1.3', kind: 'patch', licence: 'MIT', direct: false, dev: false },
    ]);
    expect(byName('qs')[0]).toMatchObject({ kind: 'minor', licence: 'BSD-3-Clause', direct: false });
  });

  it('reports added and removed packages; a removed nested copy is a removal of that version only', () => {
    expect(byName('zod')[0]).toMatchObject({ change: 'added', to: '3.23.8', kind: 'none', direct: true });
    expect(byName('router')[0]).toMatchObject({ change: 'added', to: '2.0.0', direct: false });
    expect(byName('router')[0]?.licence).toBeUndefined();
    expect(byName('debug')).toEqual([
      { ecosystem: 'npm', name: 'debug', change: 'removed', from: '2.6.9', kind: 'none', direct: false, dev: false },
    ]);
  });

  it('marks development dependencies; a move into a prerelease counts by its release part', () => {
    expect(byName('tinypool')[0]).toMatchObject({ change: 'changed', kind: 'patch', dev: true, direct: false });
  });

  it('leaves unchanged packages and workspace links out', () => {
    expect(byName('vitest')).toEqual([]);
    expect(byName('shared')).toEqual([]);
  });

  it('is sorted by name', () => {
    const names = changes.map((change) => change.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('diffDependencies without lockfiles', () => {
  it('compares the package.json ranges, all direct', () => {
    expect(diffDependencies(basePkg, headPkg, undefined, undefined)).toEqual([
      { ecosystem: 'npm', name: 'express', change: 'changed', from: '^4.18.0', to: '^5.0.0', kind: 'major', direct: true, dev: false },
      { ecosystem: 'npm', name: 'zod', change: 'added', to: '^3.23.0', kind: 'none', direct: true, dev: false },
    ]);
  });

  it('treats a lockfile that appears as every locked package added', () => {
    const changes = diffDependencies(basePkg, headPkg, undefined, headLock);
    expect(changes.every((change) => change.change === 'added')).toBe(true);
    expect(changes.map((change) => change.name)).toContain('express');
  });

  it('tolerates junk', () => {
    expect(diffDependencies('nope', 42, { packages: 'x' }, null)).toEqual([]);
  });
});

describe('several versions of one package', () => {
  it('pairs appearing and disappearing versions highest with highest', () => {
    const before = lock({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/b/node_modules/a': { version: '2.0.0' } });
    const after = lock({ 'node_modules/a': { version: '1.0.1' }, 'node_modules/b/node_modules/a': { version: '3.0.0' }, 'node_modules/c/node_modules/a': { version: '0.5.0' } });
    const changes = diffDependencies({}, {}, before, after).map((change) => [change.change, change.from, change.to]);
    expect(changes).toEqual([
      ['changed', '2.0.0', '3.0.0'],
      ['changed', '1.0.0', '1.0.1'],
      ['added', undefined, '0.5.0'],
    ]);
  });

  it('records the real name of an aliased package', () => {
    const after = lock({ 'node_modules/old-lodash': { name: 'lodash', version: '4.17.20' } });
    expect(diffDependencies({}, { dependencies: { 'old-lodash': 'npm:lodash@4.17.20' } }, lock({}), after)[0]).toMatchObject({
      name: 'lodash',
      direct: true,
    });
  });
});

describe('semverKind', () => {
  it.each([
    ['1.2.3', '2.0.0', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['2.0.0-beta.1', '2.0.0-beta.2', 'prerelease'],
    ['1.2.3', '2.0.0-rc.1', 'major'],
    ['1.2.3', '1.2.3', 'none'],
    [undefined, '1.0.0', 'none'],
    ['^1.2.0', '^1.4.0', 'minor'],
    ['github:user/repo', '1.0.0', 'none'],
  ] as const)('%s → %s is %s', (from, to, kind) => {
    expect(semverKind(from, to)).toBe(kind);
  });
});

describe('normaliseLicence', () => {
  it.each([
    ['MIT', 'MIT'],
    [{ type: 'ISC' }, 'ISC'],
    [[{ type: 'MIT' }, { type: 'Apache-2.0' }], '(MIT OR Apache-2.0)'],
    ['', undefined],
    [42, undefined],
  ])('%j → %s', (value, expected) => {
    expect(normaliseLicence(value)).toBe(expected);
  });
});
