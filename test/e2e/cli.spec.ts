import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

interface Report {
  campaign: string;
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; failedStep?: string; steps: { id: string; status: string; durationMs: number | null }[] }[];
}

describe('the CLI over the demo', () => {
  let dir: string;
  let report: Report;
  const state = (): string[] => ['--state', join(dir, 'flotilla-demo', '.flotilla')];

  beforeAll(async () => {
    dir = await tempDir();
    const result = await flotilla(['demo', '--count', '4', '--breaking', '1', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    report = JSON.parse(result.stdout) as Report;
  }, 300_000);

  it('demo runs the campaign: the broken service fails at test, the rest merge', () => {
    expect(report.campaign).toBe('bump-strings');
    expect(report.counts).toMatchObject({ merged: 3, failed: 1 });
    const failed = report.targets.find((target) => target.outcome === 'failed');
    expect(failed?.failedStep).toBe('test');
    expect(failed?.reasons[0]).toMatch(/^test failed: `npm test` exited with code 1: not ok/);
    for (const target of report.targets) {
      expect(target.steps.map((step) => step.id)).toEqual(['checkout', 'bump', 'install', 'test', 'open', 'merge']);
    }
  });

  it('demo again resumes: nothing runs twice', async () => {
    const again = await flotilla(['demo', '--json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as Report).counts).toEqual(report.counts);
  });

  it('status lists campaigns and one campaign target by target', async () => {
    const all = await flotilla(['status', ...state()], { cwd: dir });
    expect(all.stdout).toMatch(/bump-strings\s+done\s+3\s+0\s+0\s+1\s+0\s+0/);
    const one = await flotilla(['status', 'bump-strings', '--json', ...state()], { cwd: dir });
    expect((JSON.parse(one.stdout) as Report).counts).toEqual(report.counts);
    const missing = await flotilla(['status', 'nope', ...state()], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no campaign named nope');
  });

  it('events shows a target timeline with what caused each change', async () => {
    const name = report.targets.find((target) => target.outcome === 'merged')?.name ?? '';
    const events = await flotilla(['events', 'bump-strings', '--target', name, ...state()], { cwd: dir });
    const types = events.stdout.trim().split('\n').map((line) => line.split(/\s+/)[2]);
    expect(types[0]).toBe('run.created');
    expect(types.at(-1)).toBe('run.completed');
    expect(events.stdout).toMatch(/bump in \d+ms \{"package":"@flotilla-demo\/strings","from":"1\.2\.0","to":"2\.0\.0","kind":"major"/);
  });

  it('logs prints the failing test output of the failed target', async () => {
    const failed = report.targets.find((target) => target.outcome === 'failed')?.name ?? '';
    const logs = await flotilla(['logs', 'bump-strings', failed, 'test', ...state()], { cwd: dir });
    expect(logs.stdout).toContain('── test (attempt 1)');
    expect(logs.stdout).toContain("actual: 'INV-420000'");
    const badStep = await flotilla(['logs', 'bump-strings', failed, 'tset', ...state()], { cwd: dir });
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toContain('has no step tset');
  });

  it('steps lists the catalogue and shows one step, and the generated reference is current', async () => {
    const list = await flotilla(['steps']);
    expect(list.stdout).toMatch(/npm\/bump-dependency\s+change/);
    const show = await flotilla(['steps', 'show', 'npm/bump-dependency']);
    expect(show.stdout).toContain('| `package` | string | yes |');
    const unknown = await flotilla(['steps', 'show', 'npm/bump']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean npm/bump-dependency');
    const markdown = await flotilla(['steps', '--markdown']);
    const committed = await readFile(new URL('../../docs/steps.md', import.meta.url), 'utf8');
    expect(markdown.stdout, 'docs/steps.md is stale: regenerate it with `node dist/cli/main.js steps --markdown > docs/steps.md`').toBe(committed);
  });

  it('init and fleet discover write files a dry run accepts', async () => {
    const repos = join(dir, 'flotilla-demo', 'repos');
    const init = await flotilla(['init', '--dir', dir, '--repos', repos], { cwd: dir });
    expect(init.code).toBe(0);
    const fleet = await readFile(join(dir, 'fleet.yaml'), 'utf8');
    expect(fleet).toContain('repo: ./flotilla-demo/repos/billing-api');
    const again = await flotilla(['init', '--dir', dir], { cwd: dir });
    expect(again.code).toBe(2);
    const dry = await flotilla(['run', 'campaign.yaml', '--fleet', 'fleet.yaml', '--dry-run', '--json', '--state', join(dir, 'dry')], { cwd: dir });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ campaign: 'bump-debug', targets: [] });
    const discovered = await flotilla(['fleet', 'discover', repos, '--json']);
    expect((JSON.parse(discovered.stdout) as { targets: unknown[] }).targets).toHaveLength(4);
  });

  it('--help and --version exit 0; an unknown command exits 2', async () => {
    expect((await flotilla(['--help'])).code).toBe(0);
    expect((await flotilla(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await flotilla(['frobnicate']);
    expect(unknown.code).toBe(2);
  });
});
