import { describe, expect, it } from 'vitest';
import { parseCampaign } from '../config/load-campaign.js';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import { stepRegistry } from '../steps/registry.js';

const registry = stepRegistry();

const bump = `name: bump-debug
path:
  uses: npm-dependency-bump
  with:
    package: debug
    version: 4.4.1
`;

function load(text: string) {
  return parseCampaign(text, 'campaign.yaml', registry);
}

function failure(text: string): FlotillaError {
  try {
    load(text);
  } catch (error) {
    if (isFlotillaError(error)) return error;
    throw error;
  }
  throw new Error('expected the campaign to be rejected');
}

const summary = (text: string) => load(text).steps.map((step) => [step.id, step.uses, step.with, step.timeoutMs / 60_000, step.retry.attempts]);

describe('a campaign with a preset path', () => {
  it('loads to the preset steps, with the parameters in place', () => {
    expect(summary(bump)).toEqual([
      ['bump', 'npm/bump-dependency', { package: 'debug', version: '4.4.1' }, 30, 1],
      ['install', 'run', { command: 'npm ci --ignore-scripts' }, 10, 1],
      ['test', 'run', { command: 'npm test' }, 30, 1],
      ['open', 'change/open', {}, 30, 1],
      ['merge', 'change/merge', {}, 30, 1],
    ]);
    const loaded = load(bump);
    expect(loaded.spec.path).toEqual({ uses: 'npm-dependency-bump', with: { package: 'debug', version: '4.4.1' } });
    expect(loaded.spec.steps.map((step) => step.id)).toEqual(['bump', 'install', 'test', 'open', 'merge']);
  });

  it('changes a step by id, inserts new steps after and before others, and removes one', () => {
    const text = `${bump}steps:
  - id: test
    timeout: 20m
    with: { env: { CI: "1" } }
  - id: lint
    after: install
    uses: run
    with: { command: npm run lint }
  - id: types
    after: install
    uses: run
    with: { command: npx tsc --noEmit }
  - id: audit
    before: open
    uses: run
    with: { command: npm audit --omit=dev }
  - id: merge
    remove: true
  - id: notify
    uses: run
    with: { command: "echo \${{ steps.open.outputs.branch }}" }
`;
    expect(summary(text)).toEqual([
      ['bump', 'npm/bump-dependency', { package: 'debug', version: '4.4.1' }, 30, 1],
      ['install', 'run', { command: 'npm ci --ignore-scripts' }, 10, 1],
      ['lint', 'run', { command: 'npm run lint' }, 30, 1],
      ['types', 'run', { command: 'npx tsc --noEmit' }, 30, 1],
      ['test', 'run', { command: 'npm test', env: { CI: '1' } }, 20, 1],
      ['audit', 'run', { command: 'npm audit --omit=dev' }, 30, 1],
      ['open', 'change/open', {}, 30, 1],
      ['notify', 'run', { command: 'echo ${{ steps.open.outputs.branch }}' }, 30, 1],
    ]);
  });

  it('replaces a step whole when the change gives uses, and moves a step with after', () => {
    const text = `${bump}steps:
  - id: install
    uses: run
    with: { command: npm install --ignore-scripts }
  - id: test
    after: open
`;
    expect(summary(text).map(([id, , withValue, timeout]) => [id, withValue, timeout])).toEqual([
      ['bump', { package: 'debug', version: '4.4.1' }, 30],
      ['install', { command: 'npm install --ignore-scripts' }, 30],
      ['open', {}, 30],
      ['test', { command: 'npm test' }, 30],
      ['merge', {}, 30],
    ]);
  });

  it('gives the security fast lane short timeouts and retried tests', () => {
    const text = 'name: patch-lodash\npath:\n  uses: security-patch\n  with: { package: lodash, version: 4.17.21 }\n';
    expect(summary(text).map(([id, , , timeout, attempts]) => [id, timeout, attempts])).toEqual([
      ['bump', 2, 1],
      ['install', 5, 2],
      ['test', 10, 2],
      ['open', 2, 1],
      ['merge', 2, 1],
    ]);
  });

  it.each([
    ['an unknown preset, with a suggestion', 'name: x\npath:\n  uses: npm-dependncy-bump\n', 'campaign.yaml:3:9 path.uses: unknown preset "npm-dependncy-bump"; did you mean npm-dependency-bump?'],
    ['an unknown preset far from any', 'name: x\npath:\n  uses: rewrite-everything\n', 'campaign.yaml:3:9 path.uses: unknown preset "rewrite-everything"; `flotilla paths` lists the presets'],
    ['a parameter of the wrong type', bump.replace('version: 4.4.1', 'version: 4'), 'campaign.yaml:6:14 path.with.version: expected text, got 4'],
    ['a parameter the step would refuse', bump.replace('version: 4.4.1', 'version: ^4.4.1'), 'campaign.yaml:6:14 path.with.version: must be an exact version such as 4.4.1 (no range, no leading v)'],
    ['a misspelt parameter', bump.replace('package: debug', 'pakage: debug'), /^2 problems:\n {2}campaign\.yaml:5:5 path\.with\.package: required field is missing\n {2}campaign\.yaml:5:5 path\.with\.pakage: unknown field "pakage"; did you mean package\?; allowed: package, version, install, test$/],
    ['missing parameters', 'name: x\npath:\n  uses: codemod\n', /^3 problems:\n {2}campaign\.yaml:3:3 path\.with\.files: required field is missing/],
    ['a parameter list that is empty', 'name: x\npath:\n  uses: codemod\n  with: { files: [], find: a, replace: b }\n', 'campaign.yaml:4:18 path.with.files: must have at least 1 items'],
    ['an unknown field of path', `${bump}  whith: {}\n`, /campaign\.yaml:7:3 path\.whith: unknown field "whith"; did you mean with\?/],
  ])('refuses %s, at the path: lines', (_title, text, expected) => {
    const error = failure(text);
    expect(error.code).toBe('bad-input');
    if (typeof expected === 'string') expect(error.message).toBe(expected);
    else expect(error.message).toMatch(expected);
  });

  it.each([
    ['a change to a step the preset does not have', 'steps:\n  - id: tset\n    timeout: 5m\n', 'campaign.yaml:8:9 steps[0].id: "tset" is not a step of npm-dependency-bump; did you mean test?; its steps: bump, install, test, open, merge. A new step needs uses:'],
    ['a bad duration in a change', 'steps:\n  - id: test\n    timeout: soon\n', /^campaign\.yaml:9:14 steps\[0\]\.timeout: must be a duration/],
    ['an unknown field in a change', 'steps:\n  - id: test\n    timeot: 5m\n', /^campaign\.yaml:9:5 steps\[0\]\.timeot: unknown field "timeot"; did you mean timeout\?/],
    ['a placement after an unknown step', 'steps:\n  - id: lint\n    uses: run\n    with: { command: x }\n    after: instal\n', 'campaign.yaml:11:12 steps[0].after: unknown step "instal"; did you mean install?; steps so far: bump, install, test, open, merge'],
    ['both after and before', 'steps:\n  - id: lint\n    uses: run\n    with: { command: x }\n    after: install\n    before: test\n', 'campaign.yaml:12:13 steps[0].before: give after or before, not both'],
    ['one step changed twice', 'steps:\n  - id: test\n    timeout: 5m\n  - id: test\n    timeout: 6m\n', 'campaign.yaml:10:9 steps[1].id: step "test" is already changed by steps[0]; give all its changes in one entry'],
    ['a remove with other fields', 'steps:\n  - id: merge\n    remove: true\n    timeout: 5m\n', 'campaign.yaml:9:13 steps[0].remove: remove: true takes no other fields'],
  ])('refuses %s, at the change', (_title, steps, expected) => {
    const error = failure(`${bump}${steps}`);
    if (typeof expected === 'string') expect(error.message).toBe(expected);
    else expect(error.message).toMatch(expected);
  });

  it('runs the usual step checks on changed and new steps, at their own lines and columns', () => {
    const wrongWith = failure(`${bump}steps:\n  - id: test\n    with: { comand: npm run test:ci }\n`);
    expect(wrongWith.message).toBe('campaign.yaml:9:13 steps[2].with.comand: unknown field "comand"; did you mean command?; allowed: command, env');
    const badReference = failure(`${bump}steps:\n  - id: open\n    with:\n      title: "debug to \${{ steps.bmup.outputs.to }}"\n`);
    expect(badReference.message).toBe('campaign.yaml:10:34 steps[3].with.title: unknown step "bmup"; did you mean bump?; earlier steps: bump, install, test');
    const unknownStep = failure(`${bump}steps:\n  - id: lint\n    uses: rnu\n    with: { command: x }\n`);
    expect(unknownStep.message).toBe('campaign.yaml:9:11 steps[5].uses: unknown step "rnu"; did you mean run?');
    const badCondition = failure(`${bump}steps:\n  - id: install\n    if: target.tgas.size() > 0\n`);
    expect(badCondition.message).toBe('campaign.yaml:9:16 steps[1].if: No such key: tgas; did you mean tags?');
  });

  it('keeps the security fast lane\'s tests: they cannot be removed or made conditional', () => {
    const head = 'name: patch-lodash\npath:\n  uses: security-patch\n  with: { package: lodash, version: 4.17.21 }\nsteps:\n';
    expect(failure(`${head}  - id: test\n    remove: true\n`).message).toBe('campaign.yaml:7:13 steps[0].remove: security-patch requires the test step; change its fields instead of removing it');
    expect(failure(`${head}  - id: test\n    if: target.tier > 0\n`).message).toBe('campaign.yaml:7:9 steps[0].if: security-patch requires the test step on every target; it cannot have if:');
    expect(load(`${head}  - id: test\n    timeout: 15m\n`).steps.find((step) => step.id === 'test')?.timeoutMs).toBe(15 * 60_000);
  });

  it('leaves a campaign without path: as written', () => {
    const text = 'name: x\nsteps:\n  - id: t\n    uses: run\n    with: { command: npm test }\n';
    expect(summary(text)).toEqual([['t', 'run', { command: 'npm test' }, 30, 1]]);
  });
});
