import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signGeneric, signGitHub } from '../../src/hooks/signatures.js';
import { makeRepo, showFile, tempDir } from '../helpers/repos.js';
import { flotilla, startFlotilla } from '../helpers/cli.js';
import type { ChildProcess } from 'node:child_process';

const GENERIC_SECRET = 'generic-secret-for-tests';
const GITHUB_SECRET = 'github-secret-for-tests';

interface Report {
  targets: { name: string; outcome: string | null; status: string; steps: { id: string; status: string }[] }[];
}

/** CPU time (user + system) a process has used, in clock ticks, from /proc. */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('event-driven paths through flotilla serve', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('waits for CI and an approval with no busy loop, survives a restart, and rejects forged and replayed webhooks', async () => {
    const dir = await tempDir();
    for (const name of ['api', 'web']) await makeRepo(join(dir, 'repos', name), { VERSION: '1\n', 'README.md': `${name}\n` });
    await writeFile(join(dir, 'fleet.yaml'), 'targets:\n  - name: api\n    repo: ./repos/api\n  - name: web\n    repo: ./repos/web\n');
    await writeFile(
      join(dir, 'campaign.yaml'),
      [
        'name: gated',
        'steps:',
        '  - { id: edit, uses: codemod/replace, with: { files: [VERSION], find: "1", replace: "2" } }',
        '  - { id: open, uses: change/open }',
        '  - { id: ci, uses: ci/await }',
        '  - { id: approve, uses: approval, with: { approvers: [team-sre] } }',
        '  - { id: merge, uses: change/merge }',
        '',
      ].join('\n'),
    );
    const state = ['--state', join(dir, 'state')];
    const first = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', ...state]);
    expect(first.code, first.stderr).toBe(1);
    const parked = JSON.parse(first.stdout) as Report;
    expect(parked.targets.map((target) => [target.name, target.status])).toEqual([['api', 'waiting'], ['web', 'waiting']]);

    const env = { FLOTILLA_WEBHOOK_SECRET: GENERIC_SECRET, FLOTILLA_GITHUB_WEBHOOK_SECRET: GITHUB_SECRET };
    const serve = async (): Promise<{ child: ChildProcess; url: string }> => {
      const started = startFlotilla(['serve', '--port', '0', ...state], { env });
      children.push(started.child);
      let text = '';
      started.child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const url = await until('serve to listen', () => Promise.resolve(/serving on (http:\/\/\S+)/.exec(text)?.[1]));
      return { child: started.child, url };
    };
    let server = await serve();

    // Waiting costs nothing: over two seconds the server uses (almost) no CPU.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = await cpuTicks(server.child.pid ?? 0);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const used = (await cpuTicks(server.child.pid ?? 0)) - before;
    expect(used, `clock ticks used while waiting: ${used}`).toBeLessThan(20);

    const apiCommit = (await showFile(join(dir, 'repos', 'api'), 'flotilla/gated', 'VERSION')) === '2' ? await gitRev(join(dir, 'repos', 'api')) : '';
    const generic = (body: string, timestamp = Math.floor(Date.now() / 1000), delivery = `d-${Math.random()}`): Record<string, string> => ({
      'content-type': 'application/json',
      'x-flotilla-signature': signGeneric(GENERIC_SECRET, body, timestamp),
      'x-flotilla-timestamp': String(timestamp),
      'x-flotilla-delivery': delivery,
    });
    const post = (path: string, body: string, headers: Record<string, string>): Promise<Response> => fetch(`${server.url}${path}`, { method: 'POST', body, headers });

    // A forged webhook is refused and changes nothing.
    const webCi = JSON.stringify({ type: 'ci.completed', campaign: 'gated', target: 'web', data: { commit: 'x', conclusion: 'success' } });
    const forged = await post('/hooks/generic', webCi, { ...generic(webCi), 'x-flotilla-signature': `sha256=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const stale = await post('/hooks/generic', webCi, generic(webCi, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);

    // A signed GitHub check_suite for api's change commit reaches api's run; its replay is refused.
    const suite = JSON.stringify({ action: 'completed', check_suite: { head_sha: apiCommit, head_branch: 'flotilla/gated', conclusion: 'success' }, repository: { full_name: 'acme/api' } });
    const githubHeaders = { 'content-type': 'application/json', 'x-github-event': 'check_suite', 'x-github-delivery': 'delivery-1', 'x-hub-signature-256': signGitHub(GITHUB_SECRET, suite) };
    const accepted = await post('/hooks/github', suite, githubHeaders);
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { matched: number }).matched).toBe(1);
    const replayed = await post('/hooks/github', suite, githubHeaders);
    expect(replayed.status).toBe(409);

    const status = async (): Promise<Report> => JSON.parse((await flotilla(['status', 'gated', '--json', ...state])).stdout) as Report;
    const stepOf = (report: Report, target: string, step: string): string | undefined => report.targets.find((entry) => entry.name === target)?.steps.find((entry) => entry.id === step)?.status;
    await until('api to wait for approval', async () => (stepOf(await status(), 'api', 'approve') === 'waiting' ? true : undefined));
    expect(stepOf(await status(), 'web', 'ci')).toBe('waiting');

    // The server dies in the middle of the wait and comes back.
    server.child.kill('SIGKILL');
    server = await serve();

    const approved = await flotilla(['approve', 'gated', 'api', '--reason', 'looks good', ...state]);
    expect(approved.code, approved.stderr).toBe(0);
    await until('api to merge', async () => ((await status()).targets.find((entry) => entry.name === 'api')?.outcome === 'merged' ? true : undefined));
    expect(await showFile(join(dir, 'repos', 'api'), 'main', 'VERSION')).toBe('2');

    const events = await flotilla(['events', 'gated', '--target', 'api', ...state]);
    expect(events.stdout).toMatch(/signal\.received\s+ci\.completed from github check_suite/);
    expect(events.stdout).toMatch(/signal\.received\s+approval\.granted from flotilla approve by/);
    // web is still waiting for its CI: nothing was delivered to it by the forged and stale requests.
    expect(stepOf(await status(), 'web', 'ci')).toBe('waiting');
    server.child.kill('SIGTERM');
  }, 120_000);
});

async function gitRev(repo: string): Promise<string> {
  const { git } = await import('../../src/git/git.js');
  return git(repo, ['rev-parse', 'flotilla/gated']);
}
