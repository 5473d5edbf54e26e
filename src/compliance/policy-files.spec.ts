import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlotillaError } from '../model/errors.js';
import { findingReason } from './finding-text.js';
import { advisoryLocation, checkTime, readAdvisoriesFor, readPolicyFile, readPolicyLayers } from './policy-files.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-policy-files-'));
  await writeFile(join(root, 'fleet.yaml'), 'checks:\n  secrets: {}\n  diff-size: { warn: { files: 10 } }\n  vulnerabilities: { database: osv.json }\n');
  await writeFile(join(root, 'campaign.yaml'), 'onBlock: fail\nchecks:\n  diff-size: false\n');
  await writeFile(join(root, 'osv.json'), JSON.stringify([{ id: 'GHSA-test-0001', modified: '2025-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'x' }, versions: ['1.0.0'] }] }]));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('policy files', () => {
  it('layers a campaign override on a fleet policy, in order', async () => {
    const policy = await readPolicyLayers([join(root, 'fleet.yaml'), join(root, 'campaign.yaml')]);
    expect(policy.onBlock).toBe('fail');
    expect(policy.checks['diff-size']).toBe(false);
    expect(policy.checks.secrets).toEqual({});
  });

  it('finds the advisory database next to the policy, unless one is given, and loads it', async () => {
    const policy = await readPolicyFile(join(root, 'fleet.yaml'));
    expect(advisoryLocation(policy)).toBe(join(root, 'osv.json'));
    expect(advisoryLocation(policy, '/elsewhere')).toBe('/elsewhere');
    expect((await readAdvisoriesFor(policy))?.map((advisory) => advisory.id)).toEqual(['GHSA-test-0001']);
    expect(advisoryLocation(await readPolicyFile(join(root, 'campaign.yaml')), '/elsewhere')).toBeUndefined();
  });

  it('reports a missing policy as not-found, naming the file', async () => {
    const error: unknown = await readPolicyFile(join(root, 'missing.yaml'), 'missing.yaml').catch((caught: unknown) => caught);
    expect(isFlotillaError(error) && [error.code, error.message]).toEqual(['not-found', 'policy file not found: missing.yaml']);
  });
});

describe('checkTime', () => {
  it('takes FLOTILLA_NOW when set, else the clock', () => {
    expect(checkTime({ FLOTILLA_NOW: '2025-12-19T18:00:00+01:00' })).toBe('2025-12-19T18:00:00+01:00');
    expect(checkTime({}, () => new Date('2025-01-02T03:04:05Z'))).toBe('2025-01-02T03:04:05.000Z');
  });

  it.each(['friday', '2025-12-19', '2025-12-19T18:00:00'])('refuses %s (not a time with an offset)', (value) => {
    expect(() => checkTime({ FLOTILLA_NOW: value })).toThrow(/FLOTILLA_NOW must be an ISO 8601 time with an offset/);
  });
});

describe('findingReason', () => {
  it('names the check or rule, the place, and the message', () => {
    expect(findingReason({ check: 'licenses', severity: 'block', reason: 'license:denied', message: 'x@1.0.0 is licensed GPL-3.0-only, which the policy denies' })).toBe(
      'compliance: licenses: x@1.0.0 is licensed GPL-3.0-only, which the policy denies',
    );
    expect(findingReason({ check: 'secrets', severity: 'block', reason: 'secret:jwt', message: 'JWT in an added line', file: 'a.js', line: 3 })).toBe(
      'compliance: secrets: a.js:3: JWT in an added line',
    );
    expect(findingReason({ check: 'rules', rule: 'migrations', severity: 'warn', reason: 'rule:migrations', message: 'a migration changed' })).toBe(
      'compliance: rule migrations: a migration changed',
    );
  });
});
