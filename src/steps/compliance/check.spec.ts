import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../git/git.js';
import { isFlotillaError } from '../../model/errors.js';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext } from '../testing/step-context.js';
import { complianceCheck, MAX_REASONS } from './check.js';

/** A fake AWS access key id, built at run time so no scanner ever sees one in this file. */
const FAKE_KEY = ['AKIA', 'Z3XQ', '7TLM', 'P4WN', 'R2VB'].join('');

const POLICY = `
checks:
  secrets: {}
  protected-paths:
    offLimits: [".github/workflows/**"]
    codeowners: { severity: warn }
  freeze-windows:
    weekly: [{ name: Friday evening, days: [fri], from: "16:00", to: "23:59", timezone: Europe/Paris, tiers: [0] }]
`;

let root: string;
let repo: string;
let base: string;
let policyFile: string;

/** The tree of the base plus `files`, written as the change steps would leave it (no commit, no branch). */
async function changeTree(files: Record<string, string>): Promise<string> {
  await git(repo, ['checkout', '-q', '--detach', base]);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, file)), { recursive: true });
    await writeFile(join(repo, file), text);
  }
  await git(repo, ['add', '-A']);
  const tree = await git(repo, ['write-tree']);
  await git(repo, ['reset', '-q', '--hard', base]);
  return tree;
}

async function check(files: Record<string, string> | undefined, options: { policy?: string; tier?: number; now?: string } = {}) {
  const ctx = makeTestContext({
    workspace: repo,
    baseCommit: base,
    changeTree: files === undefined ? undefined : await changeTree(files),
    env: { FLOTILLA_NOW: options.now ?? '2025-06-04T10:00:00+02:00' },
  });
  ctx.target.spec.tier = options.tier ?? 2;
  const input = complianceCheck.input.parse({ policy: options.policy ?? policyFile });
  const result = await complianceCheck.run(input, ctx);
  return { result, ctx };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-compliance-step-'));
  repo = join(root, 'repo');
  await git(root, ['init', '-q', '-b', 'main', repo]);
  await writeFile(join(repo, 'CODEOWNERS'), '/src/ @acme/payments\n');
  await writeFile(join(repo, 'README.md'), 'svc\n');
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'base']);
  base = await git(repo, ['rev-parse', 'HEAD']);
  policyFile = join(root, 'policy.yaml');
  await writeFile(policyFile, POLICY);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('compliance/check', () => {
  it('holds a change that adds a secret, naming the finding, and commits nothing', async () => {
    const refsBefore = await git(repo, ['for-each-ref']);
    const { result, ctx } = await check({ 'config.js': `export const key = '${FAKE_KEY}';\n` });
    expect(isEndRun(result) && result.outcome).toBe('needs-human');
    if (!isEndRun(result)) return;
    expect(result.reasons).toEqual([expect.stringMatching(/^compliance: secrets: config\.js:1: AWS .*AKIA/)]);
    expect(result.reasons.join()).not.toContain(FAKE_KEY);
    expect(result.output).toMatchObject({ verdict: 'block', counts: { block: 1, warn: 0, info: 0 } });
    expect(ctx.events).toEqual([{ name: 'compliance.findings', data: { verdict: 'block', findings: [expect.objectContaining({ reason: 'secret:aws-access-key', file: 'config.js', line: 1 })] } }]);
    expect(await git(repo, ['for-each-ref'])).toBe(refsBefore);
    expect(await git(repo, ['rev-parse', 'main'])).toBe(base);
  });

  it('holds a change to an off-limits path and one inside a freeze window for its tier', async () => {
    const { result } = await check({ '.github/workflows/ci.yml': 'on: push\n' }, { tier: 0, now: '2025-06-06T18:30:00+02:00' });
    expect(isEndRun(result) && result.reasons).toEqual([
      expect.stringMatching(/^compliance: freeze-windows: changes are frozen: Friday evening/),
      'compliance: protected-paths: .github/workflows/ci.yml: .github/workflows/ci.yml is off-limits to automation (.github/workflows/**)',
    ]);
  });

  it('lets a change pass with its warnings logged, and returns the findings', async () => {
    const { result, ctx } = await check({ 'src/app.js': 'export const answer = 42;\n' }, { now: '2025-06-06T18:30:00+02:00' });
    expect(isEndRun(result)).toBe(false);
    expect(result).toMatchObject({ verdict: 'pass', counts: { block: 0, warn: 1, info: 0 }, findings: [{ reason: 'protected-path:needs-owner', file: 'src/app.js' }] });
    expect(ctx.logs.filter((log) => log.level === 'warn').map((log) => log.message)).toEqual([expect.stringMatching(/^compliance: protected-paths: src\/app\.js: .*@acme\/payments/)]);
  });

  it('names at most MAX_REASONS blocking findings and says how many more, keeping them all in the output', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `export const key${index} = '${FAKE_KEY.slice(0, -2)}${String(index).padStart(2, '0')}';`);
    const { result } = await check({ 'keys.js': `${lines.join('\n')}\n` });
    if (!isEndRun(result)) throw new Error('expected the run to end');
    expect(result.reasons).toHaveLength(MAX_REASONS);
    expect(result.reasons[MAX_REASONS - 2]).toMatch(/^compliance: secrets: keys\.js:19: /);
    expect(result.reasons.at(-1)).toBe('compliance: 11 more blocking findings (flotilla events shows them all)');
    expect(result.output).toMatchObject({ counts: { block: 30 } });
  });

  it('ends the run failed when the policy says onBlock: fail', async () => {
    const strict = join(root, 'strict.yaml');
    await writeFile(strict, `onBlock: fail\n${POLICY}`);
    const { result } = await check({ 'config.js': `const key = '${FAKE_KEY}';\n` }, { policy: strict });
    expect(isEndRun(result) && result.outcome).toBe('failed');
  });

  it('passes when no change step changed anything yet', async () => {
    const { result } = await check(undefined);
    expect(result).toEqual({ verdict: 'pass', findings: [], counts: { block: 0, warn: 0, info: 0 } });
  });

  it('refuses a policy path that was not resolved from the campaign folder, and a bad FLOTILLA_NOW', async () => {
    const relative: unknown = await check({}, { policy: 'policy.yaml' }).catch((error: unknown) => error);
    expect(isFlotillaError(relative) && relative.code).toBe('bad-input');
    const badTime: unknown = await check({}, { now: 'friday evening' }).catch((error: unknown) => error);
    expect(isFlotillaError(badTime) && badTime.message).toMatch(/^FLOTILLA_NOW must be an ISO 8601 time/);
  });

  it('reports a malformed policy with its place', async () => {
    const broken = join(root, 'broken.yaml');
    await writeFile(broken, 'checks:\n  secrets: {}\nrules:\n  - id: x\n    when: files.size() >\n    severity: block\n    message: m\n');
    const error: unknown = await check({}, { policy: broken }).catch((caught: unknown) => caught);
    expect(isFlotillaError(error) && error.location).toMatchObject({ file: broken, line: 5, field: 'rules[0].when' });
  });
});
