import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmEnv } from '../../src/demo/npm-env.js';
import { startNpmRegistry, type NpmRegistry } from '../../src/demo/npm-registry.js';
import { git } from '../../src/git/git.js';
import { flotilla } from '../helpers/cli.js';
import { branches, showFile, tempDir } from '../helpers/repos.js';
import { CAMPAIGN, FLEET_PACKAGES, fakeAwsKey, generateComplianceFleet, type ComplianceFleet } from '../fixtures/compliance/compliance-fleet.js';

interface Report {
  counts: Record<string, number>;
  targets: { name: string; outcome: string; reasons: string[]; steps: { id: string; status: string }[] }[];
}

interface StoredEvent {
  type: string;
  data: { step?: string; name?: string; data?: { verdict?: string; findings?: { check: string; severity: string; reason: string }[] } };
}

/** Friday 18:30 in Paris: inside the tier-0 Friday evening freeze of the policy. */
const FRIDAY_EVENING = '2025-06-06T18:30:00+02:00';

/** The reasons each held target must give, one per blocking finding, naming it. */
function expectedReasons(awsKey: string): Record<string, RegExp[]> {
  return {
    'billing-api': [/^compliance: licenses: @acme\/pdf@2\.0\.0 is licensed GPL-3\.0-only, which the policy denies$/],
    'checkout-web': [new RegExp(`^compliance: secrets: src/settings\\.js:2: AWS access key id in an added line: ${awsKey.slice(0, 4)}(?!.*${awsKey})`)],
    'deploy-tools': [/^compliance: protected-paths: \.github\/workflows\/deploy\.yml: \.github\/workflows\/deploy\.yml is off-limits to automation \(\.github\/workflows\/\*\*\)$/],
    'payments-core': [/^compliance: freeze-windows: changes are frozen: tier-0 Friday evening freeze \(now 2025-06-06 fri 18:30 Europe\/Paris\)$/i],
  };
}

describe('compliance/check in a campaign over a generated fleet', () => {
  let registry: NpmRegistry;
  let fleet: ComplianceFleet;
  let state: string;
  let report: Report;
  let awsKey: string;
  const heads = new Map<string, string>();

  beforeAll(async () => {
    registry = await startNpmRegistry(FLEET_PACKAGES);
    const dir = await tempDir('flotilla-compliance-e2e-');
    awsKey = fakeAwsKey();
    fleet = await generateComplianceFleet(dir, registry.url, awsKey);
    for (const repo of fleet.repos) heads.set(repo.name, await git(repo.path, ['rev-parse', 'main']));
    state = join(dir, 'state');
    const env = { ...npmEnv({ registry: registry.url, cache: join(dir, 'npm-cache') }), FLOTILLA_NOW: FRIDAY_EVENING };
    const result = await flotilla(['run', fleet.campaignFile, '--fleet', fleet.fleetFile, '--json', '--state', state], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    report = JSON.parse(result.stdout) as Report;
  }, 300_000);

  afterAll(async () => {
    await registry.close();
  });

  it('holds the GPL dependency, the AWS key, the protected path and the frozen target with named reasons; main untouched', async () => {
    expect(report.counts).toMatchObject({ merged: 4, 'needs-human': 4 });
    for (const [name, reasons] of Object.entries(expectedReasons(awsKey))) {
      const run = report.targets.find((target) => target.name === name);
      expect(run?.outcome, name).toBe('needs-human');
      expect(run?.reasons, name).toHaveLength(reasons.length);
      reasons.forEach((reason, index) => expect(run?.reasons[index], name).toMatch(reason));
      expect(run?.steps.find((step) => step.id === 'open')?.status, name).toBe('pending');
      const repo = fleet.repos.find((item) => item.name === name);
      if (!repo) throw new Error(`no repo ${name}`);
      expect(await git(repo.path, ['rev-parse', 'main']), name).toBe(heads.get(name));
      expect(await branches(repo.path), name).toEqual(['main']);
    }
  });

  it('lands the rest, warnings included', async () => {
    for (const repo of fleet.repos.filter((item) => item.expected === 'merged')) {
      const run = report.targets.find((target) => target.name === repo.name);
      expect(run?.outcome, repo.name).toBe('merged');
      expect(await showFile(repo.path, 'main', 'src/settings.js'), repo.name).toContain('config.acme.example');
    }
    const logs = await flotilla(['logs', CAMPAIGN, 'search-api', 'comply', '--state', state]);
    expect(logs.stdout).toMatch(/compliance: protected-paths: src\/settings\.js: src\/settings\.js needs its owners @acme\/search/);
  });

  it('records the findings as an event, warnings and rules included, never the secret itself', async () => {
    const events = async (target: string): Promise<StoredEvent[]> =>
      JSON.parse((await flotilla(['events', CAMPAIGN, '--target', target, '--json', '--state', state])).stdout) as StoredEvent[];
    const findingsOf = async (target: string) => (await events(target)).find((event) => event.data.name === 'compliance.findings')?.data.data;

    const billing = await findingsOf('billing-api');
    expect(billing?.verdict).toBe('block');
    expect(billing?.findings?.map((finding) => [finding.check, finding.severity, finding.reason])).toEqual([
      ['licenses', 'block', 'license:denied'],
      ['rules', 'warn', 'rule:major-on-critical'],
    ]);
    expect((await findingsOf('orders-api'))?.findings).toEqual([]);
    expect(JSON.stringify(await events('checkout-web'))).not.toContain(awsKey);
    const plain = await flotilla(['events', CAMPAIGN, '--target', 'deploy-tools', '--state', state]);
    expect(plain.stdout).toMatch(/step\.reported\s+comply compliance\.findings .*protected-path:off-limits/);
  });
});
