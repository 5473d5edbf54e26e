import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../src/git/git.js';
import { flotilla } from '../helpers/cli.js';
import { makeRepo, tempDir, writeFiles } from '../helpers/repos.js';
import { fakeAwsKey } from '../fixtures/compliance/compliance-fleet.js';

const POLICY = `checks:
  secrets: {}
  licenses: { deny: [GPL-3.0-only] }
  protected-paths: { codeowners: { severity: warn } }
  freeze-windows:
    weekly: [{ name: Friday evening, days: [fri], from: "16:00", to: "23:59", timezone: Europe/Paris, tiers: [0] }]
rules:
  - id: many-files
    when: totals.files > 50
    severity: warn
    message: "\${{ totals.files }} files changed"
`;

const lockfile = (packages: Record<string, { version: string; license: string }>): string =>
  `${JSON.stringify({ name: 'svc', lockfileVersion: 3, requires: true, packages: { '': { name: 'svc' }, ...Object.fromEntries(Object.entries(packages).map(([name, entry]) => [`node_modules/${name}`, entry])) } }, null, 2)}\n`;

interface CheckJson {
  target: string;
  base: { ref: string };
  verdict: string;
  counts: Record<string, number>;
  findings: { check: string; severity: string; reason: string; file?: string; line?: number; message: string }[];
}

describe('flotilla check on a local change', () => {
  let dir: string;
  let repo: string;
  let policy: string;
  const key = fakeAwsKey();
  const check = (args: string[], env: Record<string, string> = {}) => flotilla(['check', '--policy', policy, '--repo', repo, ...args], { env });

  beforeAll(async () => {
    dir = await tempDir('flotilla-check-e2e-');
    policy = join(dir, 'policy.yaml');
    await writeFile(policy, POLICY);
    repo = await makeRepo(join(dir, 'svc'), {
      'package.json': JSON.stringify({ name: 'svc', dependencies: { ms: '^2.1.3' } }),
      'package-lock.json': lockfile({ ms: { version: '2.1.3', license: 'MIT' } }),
      'CODEOWNERS': '/src/ @acme/svc\n',
      'src/index.js': 'export {};\n',
    });
    await git(repo, ['checkout', '-q', '-b', 'gpl']);
    await writeFiles(repo, {
      'package.json': JSON.stringify({ name: 'svc', dependencies: { ms: '^2.1.3', 'pdf-gpl': '^1.0.0' } }),
      'package-lock.json': lockfile({ ms: { version: '2.1.3', license: 'MIT' }, 'pdf-gpl': { version: '1.0.0', license: 'GPL-3.0-only' } }),
      'config.js': `export const storage = { accessKeyId: '${key}' };\n`,
    });
    await git(repo, ['add', '-A']);
    await git(repo, ['commit', '-q', '-m', 'pdf and storage']);
    await git(repo, ['checkout', '-q', '-b', 'docs', 'main']);
    await writeFiles(repo, { 'src/index.js': 'export const version = 2;\n' });
    await git(repo, ['commit', '-q', '-am', 'owned change']);
  });

  it('blocks a change that adds a GPL dependency and an AWS key: exit 1, a table naming both', async () => {
    const result = await check(['--head', 'gpl']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^svc: main \([0-9a-f]{10}\) → gpl \([0-9a-f]{10}\): 3 files, 1 dependency change/);
    expect(result.stdout).toMatch(/block\s+licenses\s+license:denied\s+-\s+pdf-gpl@1\.0\.0 is licensed GPL-3\.0-only, which the policy denies/);
    expect(result.stdout).toMatch(/block\s+secrets\s+secret:aws-access-key\s+config\.js:1\s+AWS access key id in an added line: AKIA\*+/);
    expect(result.stdout).not.toContain(key);
    expect(result.stdout).toMatch(/verdict: block \(a campaign run would end needs-human\): 2 blocking, 0 warnings, 0 notes$/m);
  });

  it('prints JSON with --json', async () => {
    const result = await check(['--head', 'gpl', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as CheckJson;
    expect(report).toMatchObject({ target: 'svc', base: { ref: 'main' }, verdict: 'block', counts: { block: 2, warn: 0, info: 0 } });
    expect(report.findings.map((finding) => finding.reason)).toEqual(['license:denied', 'secret:aws-access-key']);
  });

  it('passes with warnings (exit 0), and the same change is frozen for a tier-0 target on a Friday evening (exit 1)', async () => {
    const pass = await check(['--head', 'docs']);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/warn\s+protected-paths\s+protected-path:needs-owner\s+src\/index\.js\s+src\/index\.js needs its owners @acme\/svc/);
    expect(pass.stdout).toMatch(/verdict: pass: 0 blocking, 1 warning, 0 notes$/m);
    const frozen = await check(['--head', 'docs', '--tier', '0'], { FLOTILLA_NOW: '2025-06-06T18:30:00+02:00' });
    expect(frozen.code).toBe(1);
    expect(frozen.stdout).toMatch(/block\s+freeze-windows\s+freeze-window\s+-\s+changes are frozen: Friday evening \(now 2025-06-06 fri 18:30 Europe\/Paris\)/i);
  });

  it('checks committed work by default, and uncommitted changes with --worktree', async () => {
    await git(repo, ['checkout', '-q', 'main']);
    await writeFiles(repo, { 'notes.js': `const awsKey = '${key}';\n` });
    try {
      expect((await check([])).code).toBe(0);
      const worktree = await check(['--worktree']);
      expect(worktree.code).toBe(1);
      expect(worktree.stdout).toMatch(/main \([0-9a-f]{10}\) → HEAD \+ working tree/);
      expect(worktree.stdout).toMatch(/secret:aws-access-key\s+notes\.js:1/);
      expect(await git(repo, ['status', '--porcelain'])).toBe('?? notes.js');
    } finally {
      await git(repo, ['clean', '-q', '-f']);
    }
  });
});

describe('bad policy input: exit 2 with the place and the reason, from flotilla check and flotilla run', () => {
  let dir: string;
  let repo: string;

  const CAMPAIGN = `name: edit
policy: policy.yaml
steps:
  - id: edit
    uses: codemod/replace
    with: { files: ["*.txt"], find: old, replace: new }
  - id: comply
    uses: compliance/check
`;

  beforeAll(async () => {
    dir = await tempDir('flotilla-check-bad-');
    repo = await makeRepo(join(dir, 'repos', 'api'), { 'notes.txt': 'old\n' });
    await writeFile(join(dir, 'fleet.yaml'), 'targets:\n  - name: api\n    repo: ./repos/api\n');
    await writeFile(join(dir, 'campaign.yaml'), CAMPAIGN);
  });

  it.each([
    ['malformed YAML', 'checks:\n  secrets: {\n', /policy\.yaml:3:1: invalid YAML: /],
    ['an unknown check parameter', 'checks:\n  secrets:\n    severty: warn\n', /policy\.yaml:3:5 checks\.secrets\.severty: unknown key "severty"/],
    ['a CEL rule that does not compile', 'rules:\n  - id: big\n    when: totals.filez > 10\n    severity: warn\n    message: big\n', /policy\.yaml:3:18 rules\[0\]\.when: rule "big" does not compile: .*filez/],
  ])('%s', async (_name, text, message) => {
    await writeFile(join(dir, 'policy.yaml'), text);
    const checked = await flotilla(['check', '--policy', join(dir, 'policy.yaml'), '--repo', repo]);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(new RegExp(`^flotilla: ${escape(join(dir, 'policy.yaml'))}${message.source.slice('policy\\.yaml'.length)}`));
    expect(checked.stdout).toBe('');
    const run = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--state', join(dir, 'state')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^flotilla: /);
    expect(run.stdout).toBe('');
  });

  it('a missing policy file, a bad FLOTILLA_NOW and a bad --tier', async () => {
    const missing = await flotilla(['check', '--policy', join(dir, 'nope.yaml'), '--repo', repo]);
    expect([missing.code, missing.stderr]).toEqual([2, `flotilla: policy file not found: ${join(dir, 'nope.yaml')}\n`]);
    await writeFile(join(dir, 'policy.yaml'), 'checks:\n  secrets: {}\n');
    const time = await flotilla(['check', '--policy', join(dir, 'policy.yaml'), '--repo', repo], { env: { FLOTILLA_NOW: 'friday' } });
    expect([time.code, time.stderr]).toEqual([2, 'flotilla: FLOTILLA_NOW must be an ISO 8601 time with an offset, such as 2025-12-19T18:00:00+01:00, not "friday"\n']);
    const tier = await flotilla(['check', '--policy', join(dir, 'policy.yaml'), '--repo', repo, '--tier', 'gold']);
    expect([tier.code, tier.stderr]).toEqual([2, 'flotilla: --tier must be 0, 1, 2 or 3, not "gold"\n']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
