import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCampaign } from '../../config/load-campaign.js';
import { isFlotillaError } from '../../model/errors.js';
import { stepRegistry } from '../registry.js';

let root: string;
let count = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'flotilla-campaign-policy-'));
  await writeFile(join(root, 'policy.yaml'), 'checks:\n  secrets: {}\n');
  await mkdir(join(root, 'policies', 'osv'), { recursive: true });
  await writeFile(join(root, 'policies', 'strict.yaml'), 'onBlock: fail\nchecks:\n  vulnerabilities: { database: osv }\n');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes a campaign (and extra files) in a fresh folder under the shared root, and loads it. */
async function load(campaign: string, files: Record<string, string> = {}) {
  const dir = join(root, `c${++count}`);
  await mkdir(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await writeFile(join(dir, 'campaign.yaml'), campaign);
  return loadCampaign(join(dir, 'campaign.yaml'), stepRegistry());
}

async function loadError(campaign: string, files: Record<string, string> = {}) {
  const error: unknown = await load(campaign, files).catch((caught: unknown) => caught);
  if (!isFlotillaError(error)) throw new Error(`expected a FlotillaError, got ${String(error)}`);
  return error;
}

const header = 'name: c\nsteps:\n  - id: edit\n    uses: codemod/replace\n    with: { files: ["*.md"], find: a, replace: b }\n';

describe('compliance policies at campaign load', () => {
  it("resolves the campaign's policy: for a step that names none, from the campaign folder", async () => {
    const loaded = await load(`${header}  - id: comply\n    uses: compliance/check\npolicy: ../policy.yaml\n`);
    expect(loaded.steps.find((step) => step.id === 'comply')?.with).toEqual({ policy: join(root, 'policy.yaml') });
  });

  it("lets a step's with.policy win, and resolves its advisories", async () => {
    const loaded = await load(`${header}  - id: comply\n    uses: compliance/check\n    with: { policy: ../policies/strict.yaml, advisories: ../policies/osv }\npolicy: ../policy.yaml\n`);
    expect(loaded.steps.find((step) => step.id === 'comply')?.with).toEqual({
      policy: join(root, 'policies', 'strict.yaml'),
      advisories: join(root, 'policies', 'osv'),
    });
  });

  it('refuses a compliance/check without any policy, at the step', async () => {
    const error = await loadError(`${header}  - id: comply\n    uses: compliance/check\n`);
    expect(error.location).toMatchObject({ line: 7, column: 11, field: 'steps[1].uses' });
    expect(error.message).toMatch(/compliance\/check needs a policy/);
  });

  it('refuses a policy file that does not exist, at the field that names it', async () => {
    const error = await loadError(`${header}  - id: comply\n    uses: compliance/check\npolicy: nowhere.yaml\n`);
    expect(error.location).toMatchObject({ line: 8, column: 9, field: 'policy' });
    expect(error.message).toMatch(/policy file not found: .*nowhere\.yaml/);
  });

  it('reports a malformed policy at its own line and column, even when no step uses it', async () => {
    const error = await loadError(`${header}policy: policy.yaml\n`, { 'policy.yaml': 'checks:\n  secrets: {}\n  licences: {}\n' });
    expect(error.location).toMatchObject({ line: 3, column: 3, field: 'checks.licences' });
    expect(error.message).toMatch(/policy\.yaml:3:3 checks\.licences: unknown check "licences"; did you mean licenses/);
  });

  it('reports a CEL rule that does not compile, with the place inside the expression', async () => {
    const policy = 'rules:\n  - id: big\n    when: totals.files > 10 &&\n    severity: warn\n    message: big\n';
    const error = await loadError(`${header}  - id: comply\n    uses: compliance/check\n    with: { policy: p.yaml }\n`, { 'p.yaml': policy });
    expect(error.location).toMatchObject({ line: 3, field: 'rules[0].when' });
    expect(error.message).toMatch(/p\.yaml:3:\d+ rules\[0\]\.when: rule "big" does not compile: /);
  });

  it('refuses an advisory database that does not exist, and templated paths', async () => {
    const missing = await loadError(`${header}  - id: comply\n    uses: compliance/check\n    with: { policy: ../policy.yaml, advisories: osv }\n`);
    expect(missing.location?.field).toBe('steps[1].with.advisories');
    const named = await loadError(`${header}  - id: comply\n    uses: compliance/check\n    with: { policy: p.yaml }\n`, { 'p.yaml': 'checks:\n  vulnerabilities: { database: db }\n' });
    expect(named.message).toMatch(/p\.yaml checks\.vulnerabilities\.database: advisory database not found: .*db/);
    const templated = await loadError(`${header}  - id: comply\n    uses: compliance/check\n    with: { policy: "\${{ target.name }}.yaml" }\n`);
    expect(templated.location?.field).toBe('steps[1].with.policy');
  });
});
