import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/git.js';
import { isFlotillaError } from '../model/errors.js';
import { collectChangeFacts, parseNumstat } from './collect-change-facts.js';
import type { ChangeFacts } from './change-facts.js';

function lock(packages: Record<string, Record<string, unknown>>): string {
  return JSON.stringify({ name: 'svc', lockfileVersion: 3, requires: true, packages: { '': { name: 'svc' }, ...packages } }, null, 2);
}

async function write(dir: string, file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
}

describe('collectChangeFacts over a real git repository', () => {
  let repo: string;
  let facts: ChangeFacts;

  beforeAll(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'flotilla-facts-'));
    await git(repo, ['init', '-q']);
    await write(repo, '.gitignore', 'node_modules/\n');
    await write(repo, '.github/CODEOWNERS', '* @acme/platform\n/infra/ @acme/sre\n');
    await write(repo, 'package.json', JSON.stringify({ name: 'svc', dependencies: { express: '^4.18.0' } }));
    await write(repo, 'package-lock.json', lock({
      'node_modules/express': { version: '4.18.2', license: 'MIT' },
      'node_modules/qs': { version: '6.11.0', license: 'BSD-3-Clause' },
    }));
    await write(repo, 'src/app.js', 'const express = require("express");\nconst app = express();\napp.listen(3000);\n');
    await write(repo, 'docs/guide.md', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    await write(repo, 'old.txt', 'bye\n');
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', 'base']);
    await git(repo, ['tag', 'base']);

    await write(repo, 'package.json', JSON.stringify({ name: 'svc', dependencies: { express: '^5.0.0', leftpad: '^1.0.0' } }));
    await write(repo, 'package-lock.json', lock({
      'node_modules/express': { version: '5.0.1', license: 'MIT' },
      'node_modules/qs': { version: '6.13.0', license: 'BSD-3-Clause' },
      'node_modules/leftpad': { version: '1.3.0' },
    }));
    await write(repo, 'src/app.js', 'const express = require("express");\nconst app = express();\napp.use(express.json());\napp.listen(3000);\n');
    await git(repo, ['mv', 'docs/guide.md', 'docs/manual.md']);
    await write(repo, 'docs/manual.md', 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n');
    await git(repo, ['rm', '-q', 'old.txt']);
    await write(repo, 'infra/main.tf', 'resource "x" "y" {}\n');
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', 'head']);
    // Installed but untracked: the licence lockfile lacks is read from here, as JSON.
    await write(repo, 'node_modules/leftpad/package.json', JSON.stringify({ name: 'leftpad', version: '1.3.0', license: 'WTFPL' }));

    facts = await collectChangeFacts({
      repoDir: repo,
      baseRef: 'base',
      target: { name: 'svc', owner: 'payments', tier: 1, tags: ['web'] },
      campaign: { name: 'express-5' },
      now: new Date('2025-06-06T15:00:00Z'),
    });
  });

  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('lists the files with their status and git counts', () => {
    const summary = facts.files.map((file) => [file.path, file.status, file.added, file.removed, file.previousPath]).sort();
    expect(summary).toEqual([
      ['docs/manual.md', 'renamed', 1, 0, 'docs/guide.md'],
      ['infra/main.tf', 'added', 1, 0, undefined],
      ['old.txt', 'deleted', 0, 1, undefined],
      ['package-lock.json', 'modified', expect.any(Number), expect.any(Number), undefined],
      ['package.json', 'modified', 1, 1, undefined],
      ['src/app.js', 'modified', 1, 0, undefined],
    ]);
  });

  it('keeps the added lines with their new line numbers', () => {
    const app = facts.files.find((file) => file.path === 'src/app.js');
    expect(app?.hunks.flatMap((hunk) => hunk.added)).toEqual([{ line: 3, text: 'app.use(express.json());' }]);
  });

  it('computes direct and transitive dependency changes with licences from the lockfile or node_modules', () => {
    expect(facts.dependencies).toEqual([
      { ecosystem: 'npm', name: 'express', change: 'changed', from: '4.18.2', to: '5.0.1', kind: 'major', licence: 'MIT', direct: true, dev: false },
      { ecosystem: 'npm', name: 'leftpad', change: 'added', to: '1.3.0', kind: 'none', licence: 'WTFPL', direct: true, dev: false },
      { ecosystem: 'npm', name: 'qs', change: 'changed', from: '6.11.0', to: '6.13.0', kind: 'minor', licence: 'BSD-3-Clause', direct: false, dev: false },
    ]);
  });

  it('carries the target, campaign, time and the base CODEOWNERS', () => {
    expect(facts.target).toEqual({ name: 'svc', owner: 'payments', tier: 1, tags: ['web'] });
    expect(facts.campaign).toEqual({ name: 'express-5' });
    expect(facts.now).toBe('2025-06-06T15:00:00.000Z');
    expect(facts.codeowners).toContain('/infra/ @acme/sre');
  });

  it('refuses a bad target or time, as bad input', async () => {
    const options = { repoDir: repo, baseRef: 'base', campaign: { name: 'c' } };
    const badTier: unknown = await collectChangeFacts({ ...options, target: { name: 'svc', tier: 7 }, now: '2025-06-06T15:00:00Z' }).catch((caught: unknown) => caught);
    expect(isFlotillaError(badTier) && badTier.location?.field).toBe('target.tier');
    const badTime: unknown = await collectChangeFacts({ ...options, target: { name: 'svc' }, now: 'friday' }).catch((caught: unknown) => caught);
    expect(isFlotillaError(badTime) && badTime.code).toBe('bad-input');
  });

  it('refuses a ref that is not a commit, as bad input', async () => {
    const error: unknown = await collectChangeFacts({
      repoDir: repo,
      baseRef: 'no-such-branch',
      target: { name: 'svc' },
      campaign: { name: 'c' },
      now: '2025-06-06T15:00:00Z',
    }).catch((caught: unknown) => caught);
    expect(isFlotillaError(error) && error.code).toBe('bad-input');
  });
});

describe('parseNumstat', () => {
  it('reads plain entries, binaries and renames from -z output', () => {
    const text = '3\t1\tsrc/a.ts\0-\t-\timg.png\0' + '2\t0\t\0old name.md\0new name.md\0';
    expect(parseNumstat(text)).toEqual([
      { path: 'src/a.ts', added: 3, removed: 1, binary: false },
      { path: 'img.png', added: 0, removed: 0, binary: true },
      { path: 'new name.md', previousPath: 'old name.md', added: 2, removed: 0, binary: false },
    ]);
  });
});
