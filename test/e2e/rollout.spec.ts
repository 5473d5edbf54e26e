import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, mergeCommits, showFile, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

interface Report {
  campaign: string;
  counts: Record<string, number>;
  targets: { name: string; status: string; outcome: string | null }[];
}

/**
 * Eight services; the change breaks every one but `web-a`. The first wave (the two least critical) has
 * one success and one failure: its success rate's lower bound is below the gate, so the campaign halts
 * itself there, and one command reverts the wave's merge.
 */
describe('progressive waves, the gate and revert', () => {
  it('halts after the first wave of a breaking change, and reverts that wave by one command', async () => {
    const dir = await tempDir();
    const names = ['web-a', 'web-b', 'api-a', 'api-b', 'api-c', 'core-a', 'core-b', 'core-c'];
    const tiers = [3, 3, 2, 2, 2, 0, 0, 0];
    for (const name of names) {
      const passes = name === 'web-a';
      await makeRepo(join(dir, 'repos', name), { VERSION: '1\n', 'test.sh': passes ? 'grep -q 2 VERSION\n' : 'grep -q 1 VERSION\n', 'README.md': `${name}\n` });
    }
    await writeFile(join(dir, 'fleet.yaml'), `targets:\n${names.map((name, index) => `  - name: ${name}\n    repo: ./repos/${name}\n    tier: ${tiers[index] ?? 2}\n    test: sh test.sh\n`).join('')}`);
    await writeFile(
      join(dir, 'campaign.yaml'),
      [
        'name: risky',
        'rollout: { waves: [2, 5, "100%"], gate: { successRate: 0.3 }, halt: { failureRate: 0.5, minRuns: 4 } }',
        'steps:',
        '  - { id: edit, uses: codemod/replace, with: { files: [VERSION], find: "1", replace: "2" } }',
        '  - { id: test, uses: run, with: { command: sh test.sh } }',
        '  - { id: open, uses: change/open }',
        '  - { id: merge, uses: change/merge }',
        '',
      ].join('\n'),
    );
    const state = ['--state', join(dir, 'state')];
    const run = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', ...state]);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const outcome = (name: string): string | null | undefined => report.targets.find((target) => target.name === name)?.outcome;
    expect(outcome('web-a')).toBe('merged');
    expect(outcome('web-b')).toBe('failed');
    for (const name of names.slice(2)) expect(outcome(name), name).toBeNull();
    expect(await showFile(join(dir, 'repos', 'web-a'), 'main', 'VERSION')).toBe('2');

    const events = await flotilla(['events', 'risky', ...state]);
    expect(events.stdout).toMatch(/campaign\.halted\s+.*wave 1: 1 succeeded, 1 failed; success rate lower bound 0\.14 < 0\.3/);
    const status = await flotilla(['status', ...state]);
    expect(status.stdout).toMatch(/risky\s+halted/);

    const revert = await flotilla(['revert', 'risky', '--json', ...state]);
    expect(revert.code, revert.stderr).toBe(0);
    const reverted = JSON.parse(revert.stdout) as Report;
    expect(reverted.campaign).toBe('risky-revert');
    expect(reverted.targets.map((target) => [target.name, target.outcome])).toEqual([['web-a', 'merged']]);
    expect(await showFile(join(dir, 'repos', 'web-a'), 'main', 'VERSION')).toBe('1');
    expect(await mergeCommits(join(dir, 'repos', 'web-a'))).toHaveLength(2);
  }, 120_000);
});
