import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

const FLEET = `targets:
  - name: api
    repo: ./repos/api
    owner: team-a
  - name: web
    repo: ./repos/web
`;

const CAMPAIGN = `name: edit
targets: "'debug' in dependencies"
steps:
  - id: edit
    uses: codemod/replace
    with: { files: ["*.txt"], find: "old", replace: "new" }
  - id: test
    uses: run
    with: { command: "grep -q new notes.txt" }
`;

describe('bad input: exit 2 and a message that names the place', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    for (const name of ['api', 'web']) {
      await makeRepo(join(dir, 'repos', name), { 'notes.txt': 'old\n', 'package.json': JSON.stringify({ name, dependencies: { debug: '^4.3.0' } }) });
    }
    await writeFile(join(dir, 'fleet.yaml'), FLEET);
  });

  it.each([
    ['malformed YAML', CAMPAIGN.replace('steps:', 'steps: [\n  oops'), /campaign\.yaml:\d+:\d+/],
    ['an unknown step', CAMPAIGN.replace('uses: codemod/replace', 'uses: codemod/replase'), /campaign\.yaml:5:11 .*steps\[0\]\.uses.*unknown step "codemod\/replase"; did you mean codemod\/replace\?/],
    ['an invalid with', CAMPAIGN.replace('find: "old"', 'find: 42'), /campaign\.yaml:6:\d+ .*steps\[0\]\.with\.find/],
    ['an unknown field in the CEL expression', CAMPAIGN.replace("'debug' in dependencies", "'debug' in dependencys"), /campaign\.yaml:2:\d+ .*targets.*dependencys/],
  ])('%s in the campaign', async (_name, text, message) => {
    const renamed = join(dir, 'campaign.yaml');
    await writeFile(renamed, text);
    const result = await flotilla(['run', renamed, '--fleet', join(dir, 'fleet.yaml'), '--state', join(dir, 'state')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a missing repository in the fleet', async () => {
    await writeFile(join(dir, 'campaign.yaml'), CAMPAIGN);
    const fleet = join(dir, 'fleet-missing.yaml');
    await writeFile(fleet, FLEET.replace('./repos/web', './repos/gone'));
    const result = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', fleet, '--state', join(dir, 'state')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fleet-missing\.yaml:6:\d+ .*repo.*repos\/gone/);
  });

  it('a missing campaign file and a bad option', async () => {
    const missing = await flotilla(['run', join(dir, 'nope.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--state', join(dir, 'state')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
    const option = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--concurrency', 'zero', '--state', join(dir, 'state')]);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--concurrency/);
  });
});

describe('a target whose tests hang', () => {
  it('is cut off by its timeout while the others finish', async () => {
    const dir = await tempDir();
    for (const name of ['api', 'web', 'jobs']) {
      await makeRepo(join(dir, 'repos', name), { 'notes.txt': 'old\n', 'test.sh': name === 'web' ? 'sleep 60\n' : 'grep -q new notes.txt\n' });
    }
    await writeFile(join(dir, 'fleet.yaml'), `targets:\n${['api', 'web', 'jobs'].map((name) => `  - name: ${name}\n    repo: ./repos/${name}\n`).join('')}`);
    await writeFile(
      join(dir, 'campaign.yaml'),
      `name: hang\nsteps:\n  - id: edit\n    uses: codemod/replace\n    with: { files: ["*.txt"], find: old, replace: new }\n  - id: test\n    uses: run\n    with: { command: sh test.sh }\n    timeout: 2s\n  - id: open\n    uses: change/open\n  - id: merge\n    uses: change/merge\n`,
    );
    const started = Date.now();
    const result = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', '--state', join(dir, 'state')]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { targets: { name: string; outcome: string; reasons: string[] }[] };
    expect(report.targets.map((target) => [target.name, target.outcome])).toEqual([
      ['api', 'merged'],
      ['jobs', 'merged'],
      ['web', 'failed'],
    ]);
    expect(report.targets[2]?.reasons[0]).toBe('test failed: timed out after 2s');
  });
});
