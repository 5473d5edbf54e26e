import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import { stepRegistry } from '../steps/registry.js';
import { loadCampaign, parseCampaign } from './load-campaign.js';

/**
 * Step modules are real files imported by Node (through tsx), so these tests write campaign folders the
 * way a user has them: a package.json, `flotilla` and `zod` in node_modules (linked to this repository
 * and its zod), and the modules. `flotilla/sdk` resolves to the built package (`npm run build`).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const registry = stepRegistry();
let base = '';

const greet = `import { z } from 'zod';
import { defineStep } from 'flotilla/sdk';

export const greet = defineStep({
  id: 'acme/greet',
  description: 'Greets the target.',
  kind: 'validate',
  workspace: false,
  input: z.strictObject({ greeting: z.string().min(1), times: z.number().int().min(1).default(1) }),
  output: z.strictObject({ said: z.string() }),
  examples: [{ title: 'Hello', with: { greeting: 'hello' } }],
  async run(input: { greeting: string; times: number }) {
    return { said: input.greeting.repeat(input.times) };
  },
});
`;

const campaign = (load: string, steps = '  - id: greet\n    uses: acme/greet\n    with: { greeting: hi, times: 2 }\n') => `name: custom\nload: ${load}\nsteps:\n${steps}`;

let folders = 0;
/** A campaign folder with its files; `modules: false` leaves node_modules out. */
async function folder(files: Record<string, string>, options: { modules?: boolean; type?: 'module' | 'commonjs' } = {}): Promise<string> {
  const dir = join(base, `campaign-${++folders}`);
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `campaign-${folders}`, private: true, type: options.type ?? 'module' }));
  if (options.modules !== false) {
    await symlink(ROOT, join(dir, 'node_modules', 'flotilla'), 'dir');
    await symlink(join(ROOT, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return join(dir, 'campaign.yaml');
}

/** The error, with the temporary folder left out of its message (the file is named as given). */
async function failure(file: string): Promise<FlotillaError & { text: string }> {
  try {
    await loadCampaign(file, registry);
  } catch (error) {
    if (isFlotillaError(error)) return Object.assign(error, { text: error.message.split(`${dirname(file)}/`).join('') });
    throw error;
  }
  throw new Error('expected the campaign to be rejected');
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'flotilla-step-modules-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('load: step modules', () => {
  it('loads the fixture campaign\'s JavaScript steps, which import flotilla/sdk by its own name', async () => {
    const loaded = await loadCampaign(join(ROOT, 'test/fixtures/step-modules/campaign.yaml'), registry);
    expect(loaded.customSteps.map((step) => step.id)).toEqual(['acme/greet', 'acme/shout']);
    expect(loaded.steps.map((step) => [step.id, step.uses, step.definition.kind])).toEqual([
      ['greet', 'acme/greet', 'validate'],
      ['shout', 'acme/shout', 'validate'],
    ]);
    expect(loaded.steps[0]?.definition.input.parse(loaded.steps[0].with)).toEqual({ greeting: 'hello', times: 2 });
  });

  it('loads a TypeScript step and checks the campaign\'s with against its typed input, at the line', async () => {
    const good = await folder({ 'campaign.yaml': campaign('["./steps/*.ts"]'), 'steps/greet.ts': greet, 'steps/greet.spec.ts': 'throw new Error("a test file is not a step module");\n' });
    const loaded = await loadCampaign(good, registry);
    expect(loaded.customSteps.map((step) => step.id)).toEqual(['acme/greet']);
    expect(loaded.steps[0]?.definition).toBe(loaded.customSteps[0]);
    expect(loaded.spec.load).toEqual(['./steps/*.ts']);

    const wrongType = await folder({ 'campaign.yaml': campaign('["./steps/greet.ts"]', '  - id: greet\n    uses: acme/greet\n    with: { greeting: hi, times: two }\n'), 'steps/greet.ts': greet });
    expect((await failure(wrongType)).text).toBe('campaign.yaml:6:34 steps[0].with.times: expected a number, got "two"');
    const misspelt = await folder({ 'campaign.yaml': campaign('["./steps/greet.ts"]', '  - id: greet\n    uses: acme/greet\n    with: { greting: hi }\n'), 'steps/greet.ts': greet });
    expect((await failure(misspelt)).text).toMatch(/^2 problems:\n {2}campaign\.yaml:6:11 steps\[0\]\.with\.greeting: required field is missing\n {2}campaign\.yaml:6:13 steps\[0\]\.with\.greting: unknown field "greting"; did you mean greeting\?; allowed: greeting, times$/);
    const output = await folder({
      'campaign.yaml': campaign('["./steps/greet.ts"]', '  - id: greet\n    uses: acme/greet\n    with: { greeting: hi }\n  - id: echo\n    uses: run\n    with: { command: "echo ${{ steps.greet.outputs.sad }}" }\n'),
      'steps/greet.ts': greet,
    });
    expect((await failure(output)).text).toBe('campaign.yaml:9:52 steps[1].with.command: step "greet" (acme/greet) has no output "sad"; did you mean said?; it has: said');
  });

  it('loads .mjs modules, TypeScript compiled as CommonJS, and npm packages', async () => {
    const mjs = greet.replace("id: 'acme/greet'", "id: 'acme/greet-mjs'").replace('async run(input: { greeting: string; times: number })', 'async run(input)');
    const file = await folder(
      {
        'campaign.yaml': campaign('["./steps/*.mjs", "./cjs/greet.ts", "@acme/flotilla-steps"]'),
        'steps/greet.mjs': mjs,
        'cjs/package.json': JSON.stringify({ type: 'commonjs' }),
        'cjs/greet.ts': greet.replace("id: 'acme/greet'", "id: 'acme/greet-cjs'"),
        'node_modules/@acme/flotilla-steps/package.json': JSON.stringify({ name: '@acme/flotilla-steps', type: 'module', exports: './index.js' }),
        'node_modules/@acme/flotilla-steps/index.js': greet.replace('async run(input: { greeting: string; times: number })', 'async run(input)').replace('export const greet =', 'export default'),
      },
      {},
    );
    const loaded = await loadCampaign(file, registry);
    expect(loaded.customSteps.map((step) => step.id).sort()).toEqual(['acme/greet', 'acme/greet-cjs', 'acme/greet-mjs']);
  });

  it.each([
    ['a module that throws when imported', { 'steps/broken.ts': "throw new Error('no API token in this environment');\n" }, 'campaign.yaml:2:8 load[0]: cannot load steps/broken.ts: no API token in this environment'],
    [
      'an export that is not a step',
      { 'steps/helpers.ts': `${greet}export const slugify = (text: string) => text.toLowerCase();\n` },
      'campaign.yaml:2:8 load[0]: steps/helpers.ts: export "slugify" is not a step definition: a step module exports only steps made with defineStep from flotilla/sdk',
    ],
    [
      'a step of the wrong shape',
      { 'steps/bad.ts': "export default { id: 'Acme Greet', description: 'x', kind: 'check', workspace: false, examples: [] };\n" },
      /^campaign\.yaml:2:8 load\[0\]: steps\/bad\.ts: export "default" is not a valid step: id must be lower-case words joined by - or \/, such as acme\/notify; kind Invalid option: .*; input must be a zod 4 schema, such as z\.strictObject\(\{ … \}\); output must be a zod 4 schema, such as z\.strictObject\(\{ … \}\); run must be a function run\(input, ctx\)$/,
    ],
    [
      'a step with an example its input refuses',
      { 'steps/greet.ts': greet.replace("with: { greeting: 'hello' }", "with: { greeting: '' }") },
      /^campaign\.yaml:2:8 load\[0\]: steps\/greet\.ts: export "greet" has an example its input refuses: examples\[0\]\.with\.greeting: /,
    ],
    [
      'a step with the id of a built-in',
      { 'steps/run.ts': greet.replace("id: 'acme/greet'", "id: 'run'") },
      'campaign.yaml:2:8 load[0]: steps/run.ts: export "greet" has the id "run" of a built-in step; give it an id of its own, such as acme/run',
    ],
    [
      'two modules with the same step id',
      { 'steps/a.ts': greet, 'steps/b.ts': greet.replace('export const greet', 'export const hello') },
      'campaign.yaml:2:8 load[0]: steps/b.ts: export "hello" has the id "acme/greet", already used by steps/a.ts (export "greet")',
    ],
    ['a module without steps', { 'steps/empty.ts': 'export {};\n' }, 'campaign.yaml:2:8 load[0]: steps/empty.ts exports no step; export steps made with defineStep from flotilla/sdk'],
  ])('refuses %s, naming the module', async (_title, files, expected) => {
    const error = await failure(await folder({ 'campaign.yaml': campaign('["./steps/*.ts"]'), ...files }));
    expect(error.code).toBe('bad-input');
    if (typeof expected === 'string') expect(error.text).toBe(expected);
    else expect(error.text).toMatch(expected);
  });

  it.each([
    ['a glob that matches nothing', '["./steps/*.ts"]', 'campaign.yaml:2:8 load[0]: "./steps/*.ts" matches no module file (.ts, .js, .mts, .mjs, .cts, .cjs)'],
    ['a missing file', '["./steps/greet.ts"]', 'campaign.yaml:2:8 load[0]: file not found: steps/greet.ts'],
    ['a glob without ./', '["steps/*.ts"]', 'campaign.yaml:2:8 load[0]: "steps/*.ts" is neither a path (start it with ./) nor an npm package name'],
    ['a package that is not installed', '["@acme/missing-steps"]', /^campaign\.yaml:2:8 load\[0\]: cannot load @acme\/missing-steps: .*\. A step module resolves its imports from its own folder: install flotilla and zod/],
    ['a load that is not a list', 'steps/*.ts', 'campaign.yaml:2:7 load: expected a list, got "steps/*.ts"'],
  ])('refuses %s', async (_title, load, expected) => {
    const error = await failure(await folder({ 'campaign.yaml': campaign(load), 'steps/README.md': 'not a module' }));
    if (typeof expected === 'string') expect(error.text).toBe(expected);
    else expect(error.text).toMatch(expected);
  });

  it('says where to install what a module imports when it is missing', async () => {
    const error = await failure(await folder({ 'campaign.yaml': campaign('["./steps/*.ts"]'), 'steps/greet.ts': greet }, { modules: false }));
    expect(error.text).toMatch(/^campaign\.yaml:2:8 load\[0\]: cannot load steps\/greet\.ts: .*zod.*\. A step module resolves its imports from its own folder: install flotilla and zod \(and what else it imports\) where the campaign is, such as npm install --save-dev flotilla zod$/);
  });

  it('refuses load: in a campaign parsed from text, which has no folder to load from', () => {
    expect(() => parseCampaign(campaign('["./steps/*.ts"]'), 'campaign.yaml', registry)).toThrow('campaign.yaml:2:7 load: load: needs the campaign to be read from its file (loadCampaign), to find the modules from its folder');
  });
});
