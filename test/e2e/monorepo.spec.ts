import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { branches, makeRepo, mergeCommits, showFile, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string | null }[];
}

const PROJECTS = ['packages/api', 'packages/web', 'packages/worker'];

async function monorepo(dir: string): Promise<string> {
  const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }, null, 2) };
  for (const project of PROJECTS) {
    files[`${project}/package.json`] = JSON.stringify({ name: project.split('/')[1], version: '1.0.0' }, null, 2);
    files[`${project}/VERSION`] = '1\n';
    files[`${project}/test.sh`] = 'grep -q 2 VERSION\n';
  }
  return makeRepo(dir, files);
}

function campaign(name: string, per: 'target' | 'repository'): string {
  return [
    `name: ${name}`,
    `change: { title: "Bump VERSION", per: ${per} }`,
    'steps:',
    '  - { id: edit, uses: codemod/replace, with: { files: [VERSION], find: "1", replace: "2" } }',
    '  - { id: test, uses: run, with: { command: sh test.sh } }',
    '  - { id: open, uses: change/open }',
    '  - { id: merge, uses: change/merge }',
    '',
  ].join('\n');
}

describe('a monorepo with three targets', () => {
  it('detects the workspaces, and gets three changes when asked for three, one when asked for one', async () => {
    const dir = await tempDir();
    const each = await monorepo(join(dir, 'repos', 'each'));
    const one = await monorepo(join(dir, 'repos', 'one'));
    const fleet = (repo: string): string => PROJECTS.map((project) => `  - name: ${repo}-${project.split('/')[1]}\n    repo: ./repos/${repo}\n    path: ${project}\n`).join('');
    await writeFile(join(dir, 'fleet.yaml'), `targets:\n${fleet('each')}${fleet('one')}  - name: whole\n    repo: ./repos/one\n`);
    await writeFile(join(dir, 'each.yaml'), campaign('mono-each', 'target').replace('steps:', "targets: \"repo.endsWith('each')\"\nsteps:"));
    await writeFile(join(dir, 'one.yaml'), campaign('mono-one', 'repository').replace('steps:', "targets: \"repo.endsWith('one') && path != ''\"\nsteps:"));
    const state = ['--state', join(dir, 'state')];

    const facts = await flotilla(['run', join(dir, 'one.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--dry-run', '--json', ...state]);
    expect(JSON.parse(facts.stdout)).toMatchObject({ targets: ['one'] });

    await writeFile(join(dir, 'split.yaml'), campaign('find-monorepos', 'target').replace('steps:', "targets: \"monorepo == 'npm-workspaces' && size(projects) == 3\"\nsteps:"));
    const split = await flotilla(['run', join(dir, 'split.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--dry-run', '--json', ...state]);
    expect(JSON.parse(split.stdout)).toMatchObject({ targets: ['whole'] });

    const perTarget = await flotilla(['run', join(dir, 'each.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', ...state]);
    expect(perTarget.code, perTarget.stdout).toBe(0);
    expect((JSON.parse(perTarget.stdout) as Report).counts.merged).toBe(3);
    expect(await branches(each)).toEqual(['flotilla/mono-each/packages/api', 'flotilla/mono-each/packages/web', 'flotilla/mono-each/packages/worker', 'main']);
    expect(await mergeCommits(each)).toHaveLength(3);

    const perRepository = await flotilla(['run', join(dir, 'one.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', ...state]);
    expect(perRepository.code, perRepository.stderr).toBe(0);
    const report = JSON.parse(perRepository.stdout) as Report;
    expect(report.targets.map((target) => [target.name, target.outcome])).toEqual([['one', 'merged']]);
    expect(await branches(one)).toEqual(['flotilla/mono-one', 'main']);
    expect(await mergeCommits(one)).toHaveLength(1);
    for (const repo of [each, one]) {
      for (const project of PROJECTS) expect(await showFile(repo, 'main', `${project}/VERSION`), `${repo} ${project}`).toBe('2');
    }
  }, 120_000);
});
