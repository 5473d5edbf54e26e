import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flotilla } from '../helpers/cli.js';
import { makeRepo, showFile, tempDir } from '../helpers/repos.js';
import { call, readSse, startApi, storeContents, until } from './api-fixture.js';

const NAMES = ['web-a', 'web-b', 'api-a', 'api-b', 'api-c', 'core-a', 'core-b', 'core-c'];
const TIERS = [3, 3, 2, 2, 2, 0, 0, 0];

interface Wave {
  wave: number;
  state: string;
  targets: number;
  finished: number;
  merged: number;
  failed: number;
}

/**
 * Waves, the gate and revert through the API: eight services, a change that breaks all but `web-a`.
 * The first wave (the two least critical) has one success and one failure, so the gate halts the
 * campaign; the API shows the waves and why it halted, resumes it, and reverts what merged.
 */
describe('the HTTP API: waves, halts and revert', () => {
  let dir: string;
  let api: Awaited<ReturnType<typeof startApi>>;
  const get = (path: string) => call(api.url, 'GET', path);

  beforeAll(async () => {
    dir = await tempDir('flotilla-api-waves-');
    for (const name of NAMES) {
      await makeRepo(join(dir, 'repos', name), { VERSION: '1\n', 'test.sh': name === 'web-a' ? 'grep -q 2 VERSION\n' : 'grep -q 1 VERSION\n' });
    }
    await writeFile(join(dir, 'fleet.yaml'), `targets:\n${NAMES.map((name, index) => `  - name: ${name}\n    repo: ./repos/${name}\n    tier: ${TIERS[index] ?? 2}\n    test: sh test.sh\n`).join('')}`);
    await writeFile(
      join(dir, 'campaign.yaml'),
      [
        'name: risky',
        'rollout: { waves: [2, 5, "100%"], gate: { successRate: 0.3 } }',
        'steps:',
        '  - { id: edit, uses: codemod/replace, with: { files: [VERSION], find: "1", replace: "2" } }',
        '  - { id: test, uses: run, with: { command: sh test.sh } }',
        '  - { id: open, uses: change/open }',
        '  - { id: merge, uses: change/merge }',
        '',
      ].join('\n'),
    );
    const run = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', '--state', join(dir, 'state')]);
    expect(run.code, run.stderr).toBe(1);
    api = await startApi(join(dir, 'state'), { apply: 'in-process' });
  }, 120_000);
  afterAll(() => api.close());

  it('shows the waves as the engine planned them, why the campaign halted, and why each held run waits', async () => {
    const { body } = await get('/api/campaigns/risky');
    expect(body.state).toBe('halted');
    const rollout = body.rollout as { waves: Wave[]; halted: { by: string; wave: number; reason: string }; events: { type: string }[] };
    expect(rollout.waves.map((wave) => [wave.wave, wave.state, wave.targets, wave.finished, wave.merged, wave.failed])).toEqual([
      [1, 'halted', 2, 2, 1, 1],
      [2, 'waiting', 3, 0, 0, 0],
      [3, 'waiting', 3, 0, 0, 0],
    ]);
    expect(rollout.halted).toMatchObject({ by: 'gate', wave: 0, reason: expect.stringMatching(/^wave 1: 1 succeeded, 1 failed; success rate lower bound 0\.14 < 0\.3$/) as unknown });
    expect(rollout.events.map((event) => event.type)).toEqual(['campaign.wave-started', 'campaign.halted']);

    const stuck = (await get('/api/campaigns/risky/stuck')).body;
    expect(stuck.kinds).toEqual({ failed: 1, halted: 6 });
    const core = (await get('/api/runs/risky/core-a')).body;
    expect(core).toMatchObject({ wave: 3, campaignState: 'halted', stuck: { kind: 'halted', reason: expect.stringMatching(/^the campaign halted: wave 1: 1 succeeded, 1 failed.*; resume it to go on$/) as unknown } });
    expect((await get('/api/runs/risky/web-a')).body).toMatchObject({ wave: 1, outcome: 'merged', actions: { revert: true } });
  });

  it('resumes a halted campaign past its gate: the next wave runs, and the stream says so', async () => {
    const before = await storeContents(api.store);
    expect((await call(api.url, 'POST', '/api/campaigns/risky/pause', { body: '{}' })).body.reason).toBe('campaign risky is halted: resume or cancel it');
    expect(await storeContents(api.store)).toBe(before);

    const stream = readSse(`${api.url}/api/events/stream?campaign=risky`, (messages) => messages.filter((message) => message.event === 'campaign-event').length >= 3, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(api.url, 'POST', '/api/campaigns/risky/resume', { body: '{"by": "alice"}' })).status).toBe(202);
    const halted = await until('wave 2 to halt', async () => {
      const { body } = await get('/api/campaigns/risky');
      const waves = (body.rollout as { waves: Wave[] }).waves;
      return body.state === 'halted' && waves[1]?.state === 'halted' ? waves : undefined;
    }, 60_000);
    expect(halted[1]).toMatchObject({ finished: 3, failed: 3 });
    const types = (await stream).filter((message) => message.event === 'campaign-event').map((message) => (message.data as { type: string }).type);
    expect(types).toEqual(['campaign.resumed', 'campaign.wave-started', 'campaign.halted']);
  }, 90_000);

  it('reverts what the campaign merged as the campaign risky-revert', async () => {
    const answer = await call(api.url, 'POST', '/api/campaigns/risky/revert', { body: '{}' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ campaign: 'risky-revert', what: 'revert of 1 merged target started as campaign risky-revert' });
    const reverted = await until('the revert to merge', async () => {
      const { status, body } = await get('/api/campaigns/risky-revert');
      return status === 200 && body.state === 'done' ? body : undefined;
    }, 60_000);
    expect(reverted.counts).toMatchObject({ merged: 1 });
    expect(await showFile(join(dir, 'repos', 'web-a'), 'main', 'VERSION')).toBe('1');
  }, 90_000);
});
