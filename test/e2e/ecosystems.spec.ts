import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/ecosystems/find-tool.js';
import { git, gitRaw } from '../../src/git/git.js';
import { exec } from '../../src/process/exec.js';
import { FLEET, writeCampaign, writeFleet, type CampaignPlan } from '../fixtures/ecosystems/mixed-fleet.js';
import { makeWheelhouse } from '../fixtures/ecosystems/wheelhouse.js';
import { flotilla } from '../helpers/cli.js';
import { mergeCommits, tempDir } from '../helpers/repos.js';

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; failedStep?: string; steps: { id: string; status: string }[] }[];
}

/**
 * Issue 9's end-to-end proof: a mixed fleet takes one campaign per ecosystem through the built CLI,
 * and every build file on `main` is byte-identical to a hand edit. Builds run where they can run
 * offline on this machine — decided by probing, and printed — and are part of each campaign's path.
 */
describe('a mixed fleet: Maven, Gradle with a catalog, Python (requirements, Poetry), Go and npm', () => {
  let dir = '';
  let fleetFile = '';
  const ran: string[] = [];
  const plans: CampaignPlan[] = [];
  let go: string | undefined;

  beforeAll(async () => {
    dir = await tempDir('flotilla-ecosystems-');
    fleetFile = await writeFleet(dir);
    go = await findExecutable('go', process.env);
    const maven = (await findExecutable('mvn', process.env)) && (await mavenCompilesOffline(join(dir, 'repos', 'orders-maven')));
    const wheelhouse = join(dir, 'wheelhouse');
    const python = await makeWheelhouse(wheelhouse, [['requests', '2.31.0'], ['requests', '2.32.3'], ['urllib3', '2.2.1']]);
    const pipCheck = `if [ -f requirements.txt ]; then python3 -m pip install --disable-pip-version-check --dry-run --no-index --find-links ${wheelhouse} -r requirements.txt --quiet --report - | python3 -c "import json,sys; print(' '.join(i['metadata']['name'] + '==' + i['metadata']['version'] for i in json.load(sys.stdin)['install']))"; fi`;
    const tomlCheck = `if [ -f pyproject.toml ]; then python3 -c "import tomllib; print('poetry requests', tomllib.load(open('pyproject.toml','rb'))['tool']['poetry']['dependencies']['requests'])"; fi`;
    plans.push(
      { name: 'bump-guava', targets: "'com.google.guava:guava' in dependencies", bump: { uses: 'maven/bump-dependency', with: { package: 'com.google.guava:guava', version: '33.1.0-jre' } }, builds: maven ? ['mvn -o -q -B compile'] : [] },
      { name: 'bump-okhttp', targets: "'com.squareup.okhttp3:okhttp' in dependencies", bump: { uses: 'gradle/bump-dependency', with: { package: 'com.squareup.okhttp3:okhttp', version: '4.12.0' } }, builds: [] },
      { name: 'bump-requests', targets: "'requests' in dependencies", bump: { uses: 'pip/bump-dependency', with: { package: 'requests', version: '2.32.3', lockfiles: 'leave' } }, builds: python ? [pipCheck, tomlCheck] : [] },
      { name: 'bump-uuid', targets: "'github.com/google/uuid' in dependencies", bump: { uses: 'go/bump-dependency', with: { package: 'github.com/google/uuid', version: 'v1.6.0' } }, builds: [] },
      { name: 'bump-debug', targets: "'debug' in dependencies", bump: { uses: 'npm/bump-dependency', with: { package: 'debug', version: '4.4.1' } }, builds: ['npm pkg get dependencies.debug'] },
    );
    for (const plan of plans) ran.push(...plan.builds.map((command) => `${plan.name}: ${command.slice(0, 60)}`));
    console.info(`builds run in the campaigns: ${ran.length ? ran.join('; ') : 'none'}; go ${go ? 'found' : 'not on PATH'}, gradle ${(await findExecutable('gradle', process.env)) ? 'found (not used: no offline plugin cache)' : 'not on PATH'}`);
  }, 120_000);

  it('bumps one dependency per ecosystem and lands build files identical to a hand edit', async () => {
    const state = join(dir, 'state');
    for (const plan of plans) {
      const campaign = await writeCampaign(dir, plan);
      const result = await flotilla(['run', campaign, '--fleet', fleetFile, '--json', '--state', state]);
      const report = JSON.parse(result.stdout) as Report;
      const failed = report.targets.filter((target) => target.outcome !== 'merged');
      if (plan.name === 'bump-uuid' && go) {
        // With go installed, `go mod tidy` needs the module proxy, which this test cannot promise.
        continue;
      }
      expect(failed, `${plan.name}: ${JSON.stringify(failed)}`).toEqual([]);
      expect(result.code, result.stderr).toBe(0);
      expect(report.targets.length, plan.name).toBeGreaterThan(0);
    }

    for (const target of FLEET) {
      if (target.name === 'edge-go' && go) continue;
      const repo = join(dir, 'repos', target.name);
      for (const [file, original] of Object.entries(target.files)) {
        const onMain = (await gitRaw(repo, ['show', `main:${file}`])).stdout;
        expect(onMain, `${target.name} ${file}`).toBe(target.expected[file] ?? original);
      }
      expect(await mergeCommits(repo), target.name).toHaveLength(1);
      const changed = (await git(repo, ['diff', '--name-only', 'main^1', 'main'])).split('\n').sort();
      expect(changed, target.name).toEqual(Object.keys(target.expected).filter((file) => target.expected[file] !== target.files[file]).sort());
    }
  }, 600_000);

  it('says what it left undone and what the builds resolved', async () => {
    const state = join(dir, 'state');
    const logs = async (campaign: string, target: string, step: string): Promise<string> => (await flotilla(['logs', campaign, target, step, '--state', state])).stdout;
    if (!go) expect(await logs('bump-uuid', 'edge-go', 'bump')).toMatch(/go\.sum was not updated/);
    expect(await logs('bump-requests', 'ml-poetry', 'bump')).toMatch(/poetry\.lock/);
    const pip = plans.find((plan) => plan.name === 'bump-requests');
    if (pip?.builds.length) {
      expect(await logs('bump-requests', 'search-pip', 'build-1')).toMatch(/requests==2\.32\.3/);
      expect(await logs('bump-requests', 'ml-poetry', 'build-2')).toMatch(/poetry requests \^2\.32\.3/);
    }
    if (plans.find((plan) => plan.name === 'bump-guava')?.builds.length) {
      expect(await logs('bump-guava', 'orders-maven', 'build-1')).not.toMatch(/ERROR/);
    }
    expect(await logs('bump-debug', 'web-npm', 'build-1')).toMatch(/\^4\.4\.1/);
  }, 120_000);
});

/** Whether Maven can compile the Maven target offline (its plugins and Guava in the local repository). */
async function mavenCompilesOffline(repo: string): Promise<boolean> {
  const scratch = join(await tempDir('flotilla-mvn-probe-'), 'orders');
  await git(repo, ['clone', '--quiet', repo, scratch]);
  const result = await exec('mvn', ['-o', '-q', '-B', 'compile'], { cwd: scratch, env: process.env });
  return result.exitCode === 0;
}
