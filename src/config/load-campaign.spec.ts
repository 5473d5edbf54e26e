import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_RETRY_BACKOFF_MS, DEFAULT_STEP_TIMEOUT_MS } from '../model/campaign.js';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import type { TargetFacts } from '../model/fleet.js';
import { defineStep, type AnyStep } from '../sdk/step.js';
import { canonicalJson, loadCampaign, parseCampaign } from './load-campaign.js';

const bump = defineStep({
  id: 'npm/bump-dependency',
  description: 'Bumps a dependency.',
  kind: 'change',
  workspace: true,
  input: z.strictObject({ package: z.string(), version: z.string(), save: z.enum(['exact', 'range']).default('range') }),
  output: z.strictObject({ from: z.string(), to: z.string(), changed: z.boolean() }),
  examples: [{ title: 'debug', with: { package: 'debug', version: '4.4.0' } }],
  run: () => Promise.resolve({ from: '4.3.0', to: '4.4.0', changed: true }),
});

const run = defineStep({
  id: 'run',
  description: 'Runs a command.',
  kind: 'validate',
  workspace: true,
  input: z.strictObject({ command: z.string(), retries: z.number().int().min(0).default(0) }),
  output: z.looseObject({ exitCode: z.number() }),
  examples: [{ title: 'test', with: { command: 'npm test' } }],
  run: () => Promise.resolve({ exitCode: 0 }),
});

const open = defineStep({
  id: 'change/open',
  description: 'Opens a change.',
  kind: 'deliver',
  workspace: false,
  input: z.strictObject({ title: z.string(), labels: z.array(z.string()).default([]) }),
  output: z.strictObject({ url: z.string() }),
  examples: [{ title: 'open', with: { title: 'Bump' } }],
  run: () => Promise.resolve({ url: 'x' }),
});

const registry = new Map<string, AnyStep>([bump, run, open].map((step) => [step.id, step]));

const good = `name: debug-4-4
description: Move every service to debug 4.4
targets: "'debug' in dependencies && tier <= 1"
steps:
  - id: bump
    uses: npm/bump-dependency
    with:
      package: debug
      version: 4.4.0
  - id: test
    uses: run
    if: steps.bump.outputs.changed
    timeout: 10m
    retry: { attempts: 3, backoff: 5s }
    with:
      command: npm test
  - id: open
    uses: change/open
    with:
      title: "Bump debug to \${{ steps.bump.outputs.to }}"
`;

function failure(text: string): FlotillaError {
  try {
    parseCampaign(text, 'campaign.yaml', registry);
  } catch (error) {
    if (isFlotillaError(error)) return error;
    throw error;
  }
  throw new Error('expected the campaign to be rejected');
}

const facts: TargetFacts = {
  name: 'web',
  repo: 'web',
  owner: '',
  tier: 1,
  tags: [],
  defaultBranch: 'main',
  commit: 'c'.repeat(40),
  languages: [],
  packageManager: 'npm',
  dependencies: { debug: '^4.3.0' },
  devDependencies: {},
  hasTests: false,
  testCommand: '',
};

describe('parseCampaign', () => {
  it('compiles a valid campaign with defaults, conditions and a stable hash', () => {
    const loaded = parseCampaign(good, 'campaign.yaml', registry);
    expect(loaded.steps.map((step) => [step.id, step.definition.id, step.timeoutMs, step.retry])).toEqual([
      ['bump', 'npm/bump-dependency', DEFAULT_STEP_TIMEOUT_MS, { attempts: 1, backoffMs: DEFAULT_RETRY_BACKOFF_MS }],
      ['test', 'run', 600_000, { attempts: 3, backoffMs: 5000 }],
      ['open', 'change/open', DEFAULT_STEP_TIMEOUT_MS, { attempts: 1, backoffMs: DEFAULT_RETRY_BACKOFF_MS }],
    ]);
    expect(loaded.steps[2]?.with).toEqual({ title: 'Bump debug to ${{ steps.bump.outputs.to }}' });
    const scope = { steps: { bump: { status: 'succeeded', outputs: { changed: false } } }, target: facts, campaign: { name: 'x' } };
    expect(loaded.steps[1]?.if?.(scope)).toBe(false);
    expect(loaded.selector(facts)).toBe(true);
    expect(loaded.selector({ ...facts, tier: 2 })).toBe(false);
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    const reordered = good.replace('name: debug-4-4\ndescription: Move every service to debug 4.4', 'description: Move every service to debug 4.4\nname: debug-4-4');
    expect(parseCampaign(reordered, 'campaign.yaml', registry).hash).toBe(loaded.hash);
  });

  it('selects every target when the campaign has no targets expression', () => {
    const loaded = parseCampaign('name: all\nsteps:\n  - id: t\n    uses: run\n    with: { command: x }\n', 'c.yaml', registry);
    expect(loaded.selector(facts)).toBe(true);
  });

  it.each([
    ['malformed YAML', 'name: x\nsteps: [\n  - id: a\n', /^campaign\.yaml:3:3: invalid YAML: /],
    [
      'an unknown step, with a suggestion',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependecy\n',
      'campaign.yaml:4:11 steps[0].uses: unknown step "npm/bump-dependecy"; did you mean npm/bump-dependency?',
    ],
    [
      'a with value of the wrong type',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with:\n      package: debug\n      version: 4\n',
      'campaign.yaml:7:16 steps[0].with.version: expected text, got 4',
    ],
    [
      'an unknown with key, with the allowed keys',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with:\n      package: debug\n      version: "4.4.0"\n      verison: "4.4.0"\n',
      'campaign.yaml:8:7 steps[0].with.verison: unknown field "verison"; did you mean version?; allowed: package, version, save',
    ],
    [
      'a missing with key',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with:\n      package: debug\n',
      'campaign.yaml:6:7 steps[0].with.version: required field is missing',
    ],
    [
      'an enum value that is not an option',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with: { package: debug, version: "1", save: exakt }\n',
      'campaign.yaml:5:49 steps[0].with.save: must be one of "exact", "range", got "exakt"; did you mean exact?',
    ],
    [
      'an unknown field in the targets expression',
      `name: x\ntargets: "'debug' in dependencys"\nsteps:\n  - id: t\n    uses: run\n    with: { command: x }\n`,
      'campaign.yaml:2:22 targets: Unknown variable: dependencys; did you mean dependencies?',
    ],
    [
      'a bad if: in a block scalar, pointed at inside the expression',
      'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: x }\n    if: |\n      target.tier <= 1 &&\n        target.tgas.size() > 0\n',
      'campaign.yaml:8:16 steps[0].if: No such key: tgas; did you mean tags?',
    ],
    [
      'an if: that is not a boolean',
      'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: x }\n    if: target.name\n',
      'campaign.yaml:6:9 steps[0].if: must be true or false, but this expression gives string',
    ],
    [
      'a reference to a later step',
      'name: x\nsteps:\n  - id: open\n    uses: change/open\n    with: { title: "${{ steps.bump.outputs.to }}" }\n  - id: bump\n    uses: npm/bump-dependency\n    with: { package: debug, version: "1" }\n',
      'campaign.yaml:5:31 steps[0].with.title: steps.bump runs after this step (steps[1]); only earlier steps can be used',
    ],
    [
      'a reference to an unknown step',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with: { package: debug, version: "1" }\n  - id: open\n    uses: change/open\n    with: { title: "to ${{ steps.bmup.outputs.to }}" }\n',
      'campaign.yaml:8:34 steps[1].with.title: unknown step "bmup"; did you mean bump?; earlier steps: bump',
    ],
    [
      'a reference to an unknown output',
      'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with: { package: debug, version: "1" }\n  - id: open\n    uses: change/open\n    with: { title: "${{ steps.bump.outputs.too }}" }\n',
      'campaign.yaml:8:44 steps[1].with.title: step "bump" (npm/bump-dependency) has no output "too"; did you mean to?; it has: from, to, changed',
    ],
    [
      'a duplicate step id',
      'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: x }\n  - id: t\n    uses: run\n    with: { command: y }\n',
      'campaign.yaml:6:9 steps[1].id: duplicate step id "t" (first used by steps[0] on line 3)',
    ],
    [
      'a template that does not compile',
      'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: "echo ${{ target.nmae }}" }\n',
      'campaign.yaml:5:39 steps[0].with.command: No such key: nmae; did you mean name?',
    ],
    [
      'an unclosed template',
      'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: "echo ${{ target.name" }\n',
      'campaign.yaml:5:28 steps[0].with.command: unclosed template: "${{" without "}}"',
    ],
    [
      'an unknown campaign field and a bad duration',
      'name: x\nstepz: []\nsteps:\n  - id: t\n    uses: run\n    timeout: soon\n    with: { command: x }\n',
      /^2 problems:\n {2}campaign\.yaml:2:1 stepz: unknown field "stepz"; did you mean steps\?; allowed: name, description, targets, steps, [^\n]*change\n {2}campaign\.yaml:6:14 steps\[0\]\.timeout: must be a duration/,
    ],
  ])('rejects %s', (_title, text, expected) => {
    const error = failure(text);
    expect(error.code).toBe('bad-input');
    if (typeof expected === 'string') expect(error.message).toBe(expected);
    else expect(error.message).toMatch(expected);
  });

  it('checks templated with values only for unknown and missing keys', () => {
    const text = 'name: x\nsteps:\n  - id: bump\n    uses: npm/bump-dependency\n    with: { package: debug, version: "1" }\n  - id: again\n    uses: npm/bump-dependency\n    with:\n      package: "${{ target.name }}"\n      version: "${{ steps.bump.outputs.changed }}"\n';
    expect(parseCampaign(text, 'c.yaml', registry).steps).toHaveLength(2);
    const missing = failure(`${text.replace('      package: "${{ target.name }}"\n', '')}      extra: "\${{ target.name }}"\n`);
    expect(missing.message).toContain('steps[1].with.extra: unknown field "extra"');
    expect(missing.message).toContain('steps[1].with.package: required field is missing');
  });

  it('reports every problem with its location in details', () => {
    const error = failure('name: x\nsteps:\n  - id: a\n    uses: nope\n  - id: a\n    uses: run\n    with: { command: x }\n');
    expect(error.details?.errors).toEqual([
      {
        message: 'campaign.yaml:4:11 steps[0].uses: unknown step "nope"; `flotilla steps` lists the available steps',
        location: { file: 'campaign.yaml', line: 4, column: 11, field: 'steps[0].uses' },
      },
      expect.objectContaining({ location: { file: 'campaign.yaml', line: 5, column: 9, field: 'steps[1].id' } }),
    ]);
  });
});

describe('loadCampaign', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flotilla-campaign-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and resolves its folder', async () => {
    const file = join(dir, 'campaign.yaml');
    await writeFile(file, good);
    const loaded = await loadCampaign(file, registry);
    expect([loaded.file, loaded.dir, loaded.spec.name]).toEqual([file, dir, 'debug-4-4']);
  });

  it('says when the file does not exist', async () => {
    await expect(loadCampaign(join(dir, 'missing.yaml'), registry)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).toBe('{"a":{"d":[{"e":2,"f":1}]},"b":1}');
  });
});
