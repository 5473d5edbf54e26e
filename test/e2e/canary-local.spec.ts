import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, showFile, tempDir } from '../helpers/repos.js';
import { flotilla } from '../helpers/cli.js';

const SERVER = await readFile(new URL('../fixtures/canary/service/server.mjs', import.meta.url), 'utf8');

/**
 * One campaign, three services, each a real git repository with a small node HTTP service:
 * - svc-slow: the change wraps the response in a 20 ms `setTimeout` → the canary fails the run on latency;
 * - svc-tidy: the change edits the greeting → the canary passes and the change merges;
 * - svc-broken: the service answers 500 to everything, before and after the (harmless) change → there is
 *   no successful traffic to compare, so the canary is inconclusive and the run needs a human.
 * `--concurrency 1` keeps the canaries from loading the machine at the same time.
 */
const CAMPAIGN = `name: canary-local
description: Change three small services and let the local canary judge each change
steps:
  - id: slow-down
    uses: codemod/replace
    if: target.name == "svc-slow"
    with: { files: [server.mjs], find: "  respond(response);\\n})", replace: "  setTimeout(() => respond(response), 20);\\n})" }
  - id: tidy
    uses: codemod/replace
    if: target.name != "svc-slow"
    with: { files: [server.mjs], find: "greeting: 'hello'", replace: "greeting: 'hello, world'" }
  - id: canary
    uses: canary/local
    with:
      start: exec node server.mjs
      path: /orders
      warmup: 1s
      bake: 3s
      intervals: 3
      startTimeout: 10s
  - id: open
    uses: change/open
  - id: merge
    uses: change/merge
`;

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; failedStep?: string; steps: { id: string; status: string; durationMs: number | null }[] }[];
}

interface StoredEvent {
  type: string;
  data: { step?: string; name?: string; data?: { verdict?: string; score?: number; inconclusive?: boolean; metrics?: { name: string; classification: string; effectSize: number | null }[]; load?: Record<string, { ok: number }> } };
}

describe('canary/local through the CLI: flotilla run over three services', () => {
  let dir: string;
  let report: Report;
  let elapsedMs: number;
  const state = (): string[] => ['--state', join(dir, 'state')];
  const target = (name: string): Report['targets'][number] | undefined => report.targets.find((entry) => entry.name === name);

  beforeAll(async () => {
    dir = await tempDir('flotilla-canary-');
    await makeRepo(join(dir, 'repos', 'svc-slow'), { 'server.mjs': SERVER });
    await makeRepo(join(dir, 'repos', 'svc-tidy'), { 'server.mjs': SERVER });
    await makeRepo(join(dir, 'repos', 'svc-broken'), { 'server.mjs': SERVER.replace('const STATUS = 200;', 'const STATUS = 500;') });
    await writeFile(join(dir, 'fleet.yaml'), ['targets:', ...['svc-slow', 'svc-tidy', 'svc-broken'].map((name) => `  - { name: ${name}, repo: ./repos/${name} }`), ''].join('\n'));
    await writeFile(join(dir, 'campaign.yaml'), CAMPAIGN);
    const started = Date.now();
    const result = await flotilla(['run', 'campaign.yaml', '--fleet', 'fleet.yaml', '--concurrency', '1', '--json', ...state()], { cwd: dir });
    elapsedMs = Date.now() - started;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    report = JSON.parse(result.stdout) as Report;
  }, 120_000);

  it('ends each run as its canary decided, in well under 30 s a target', () => {
    expect(report.targets.map((entry) => [entry.name, entry.outcome])).toEqual([
      ['svc-broken', 'needs-human'],
      ['svc-slow', 'failed'],
      ['svc-tidy', 'merged'],
    ]);
    const canaryMs = report.targets.map((entry) => entry.steps.find((step) => step.id === 'canary')?.durationMs ?? Infinity);
    for (const ms of canaryMs) expect(ms).toBeLessThan(30_000);
    expect(elapsedMs).toBeLessThan(90_000);
  });

  it('svc-slow: 20 ms more per request fails the run on latency, and main keeps the fast code', async () => {
    const slow = target('svc-slow');
    expect(slow?.failedStep).toBe('canary');
    expect(slow?.reasons[0]).toMatch(/^canary failed: score 0 \(pass >= 95, marginal >= 75\)/);
    expect(slow?.reasons.join('\n')).toMatch(/latency_p50 High: experiment higher: .*critical \(meanRatio \d+(\.\d+)? >= 3\): fails the run/);
    expect(await showFile(join(dir, 'repos', 'svc-slow'), 'main', 'server.mjs')).not.toContain('setTimeout');
  });

  it('svc-tidy: a harmless change passes the canary and merges', async () => {
    expect(target('svc-tidy')?.steps.find((step) => step.id === 'canary')?.status).toBe('succeeded');
    expect(await showFile(join(dir, 'repos', 'svc-tidy'), 'main', 'server.mjs')).toContain("greeting: 'hello, world'");
  });

  it('svc-broken: a service with no successful traffic is inconclusive and needs a human, never a pass', () => {
    const broken = target('svc-broken');
    expect(broken?.reasons).toHaveLength(1);
    expect(broken?.reasons[0]).toMatch(/^canary inconclusive: the baseline answered no request successfully \(\d+ requests: 0 ok, \d+ answered 4xx\/5xx, 0 unanswered\)$/);
  });

  it('records each judgement as a canary.judgement event and the metric table in the step log', async () => {
    const judgement = async (name: string): Promise<NonNullable<StoredEvent['data']['data']>> => {
      const events = JSON.parse((await flotilla(['events', 'canary-local', '--target', name, '--json', ...state()])).stdout) as StoredEvent[];
      const found = events.find((event) => event.type === 'step.reported' && event.data.name === 'canary.judgement');
      expect(found?.data.step).toBe('canary');
      return found?.data.data ?? {};
    };
    const slow = await judgement('svc-slow');
    expect(slow).toMatchObject({ verdict: 'fail', score: 0, inconclusive: false });
    expect(slow.metrics?.find((metric) => metric.name === 'latency_p50')?.classification).toBe('High');
    expect(await judgement('svc-tidy')).toMatchObject({ verdict: 'pass', score: 100, inconclusive: false });
    expect(await judgement('svc-broken')).toMatchObject({ verdict: 'fail', inconclusive: true, load: { baseline: { ok: 0 }, canary: { ok: 0 } } });

    const plain = await flotilla(['events', 'canary-local', '--target', 'svc-slow', ...state()]);
    expect(plain.stdout).toMatch(/step\.reported {2}canary canary\.judgement \{"verdict":"fail","score":0/);
    const logs = await flotilla(['logs', 'canary-local', 'svc-slow', 'canary', ...state()]);
    expect(logs.stdout).toMatch(/^latency_p50\s+High\s+FAILED\s/m);
    expect(logs.stdout).toContain('verdict: FAIL, score 0');
  });

  it('leaves no service running and no baseline worktree behind', async () => {
    const logs = JSON.parse((await flotilla(['logs', 'canary-local', 'svc-tidy', 'canary', '--json', ...state()])).stdout) as { text: string }[];
    const pids = logs.flatMap((line) => [...line.text.matchAll(/"pid":(\d+)/g)].map((match) => Number(match[1])));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    const workspaces = join(dir, 'state', 'workspaces', 'canary-local');
    const left = existsSync(workspaces) ? await readdir(workspaces) : [];
    expect(left.filter((name) => name.endsWith('.canary-baseline'))).toEqual([]);
  });
});
