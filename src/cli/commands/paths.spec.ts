import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../program.js';
import type { Output } from '../output.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: Output = { out: (text) => void (out += `${text}\n`), err: (text) => void (err += `${text}\n`), isTTY: false };
  const code = await runCli(args, output);
  return { code, out, err };
}

describe('flotilla paths', () => {
  it('lists the presets', async () => {
    const listed = await cli(['paths']);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n').map((line) => line.split(/\s+/)[0])).toEqual(['PRESET', 'codemod', 'npm-dependency-bump', 'security-patch', '']);
    const json = await cli(['paths', '--json']);
    expect((JSON.parse(json.out) as { id: string }[]).map((preset) => preset.id)).toEqual(['codemod', 'npm-dependency-bump', 'security-patch']);
  });

  it('shows a preset\'s parameters and the steps its example expands to', async () => {
    const shown = await cli(['paths', 'show', 'npm-dependency-bump']);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('version    string  required');
    expect(shown.out).toContain('install    string  default "npm ci --ignore-scripts"');
    const expanded = parse(shown.out.slice(shown.out.indexOf('# expands to:'))) as { steps: { id: string }[] };
    expect(expanded.steps.map((step) => step.id)).toEqual(['bump', 'install', 'test', 'open', 'merge']);
    const json = JSON.parse((await cli(['paths', 'show', 'security-patch', '--json'])).out) as { required: string[]; steps: { id: string; timeout?: string }[] };
    expect(json.required).toEqual(['bump', 'test']);
    expect(json.steps.find((step) => step.id === 'test')?.timeout).toBe('10m');
  });

  it('suggests a preset for a misspelt id', async () => {
    const shown = await cli(['paths', 'show', 'security-pach']);
    expect(shown.code).toBe(2);
    expect(shown.err).toContain('unknown preset "security-pach"; did you mean security-patch?');
  });
});
