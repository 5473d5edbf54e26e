import { describe, expect, it } from 'vitest';
import type { TargetFacts } from '../model/fleet.js';
import type { ConditionScope } from './cel.js';
import { findTemplateReferences, findTemplates, interpolate, isTemplated } from './template.js';

const target: TargetFacts = {
  name: 'checkout',
  repo: 'services/checkout',
  owner: 'payments',
  tier: 1,
  tags: ['web'],
  defaultBranch: 'main',
  commit: 'b'.repeat(40),
  languages: ['typescript'],
  packageManager: 'npm',
  dependencies: { debug: '^4.3.0' },
  devDependencies: {},
  hasTests: true,
  testCommand: 'npm test',
};

const scope: ConditionScope = {
  steps: {
    bump: { status: 'succeeded', outputs: { version: '4.4.0', count: 3, files: ['package.json', 'package-lock.json'], big: 2 ** 60, ratio: 0.5 } },
  },
  target,
  campaign: { name: 'debug-4-4' },
};

describe('interpolate', () => {
  it.each([
    ['a lone template keeps a string', '${{ steps.bump.outputs.version }}', '4.4.0'],
    ['a lone template keeps a number', '${{ steps.bump.outputs.count }}', 3],
    ['blanks around a lone template do not make it text', '  ${{ steps.bump.outputs.count }} ', 3],
    ['a lone template keeps a list', '${{ steps.bump.outputs.files }}', ['package.json', 'package-lock.json']],
    ['a lone template keeps a bool', '${{ target.tier <= 1 }}', true],
    ['a lone template keeps a double', '${{ steps.bump.outputs.ratio }}', 0.5],
    ['CEL arithmetic gives a number', '${{ steps.bump.outputs.count * 2 }}', 6],
    ['an int beyond 2^53 stays exact as text', '${{ steps.bump.outputs.big }}', String(2n ** 60n)],
    ['a map comes back as a plain object', "${{ {'v': steps.bump.outputs.version} }}", { v: '4.4.0' }],
    ['templates inside text are stringified', 'debug ${{ steps.bump.outputs.version }} (${{ steps.bump.outputs.count }} files)', 'debug 4.4.0 (3 files)'],
    ['a list inside text is JSON', 'files: ${{ steps.bump.outputs.files }}', 'files: ["package.json","package-lock.json"]'],
    ['text without a template is untouched', 'plain', 'plain'],
    ['the campaign and target are in scope', '${{ campaign.name }}/${{ target.name }}', 'debug-4-4/checkout'],
  ])('%s', (_title, value, expected) => {
    expect(interpolate(value, scope)).toEqual(expected);
  });

  it('works deep over objects and arrays and leaves other values alone', () => {
    const value = { version: '${{ steps.bump.outputs.version }}', nested: { list: ['${{ steps.bump.outputs.count }}', 7, true, null] } };
    expect(interpolate(value, scope)).toEqual({ version: '4.4.0', nested: { list: [3, 7, true, null] } });
  });

  it('names the field of a failing template', () => {
    expect(() => interpolate({ a: ['${{ steps.bump.outputs.nope }}'] }, scope, { file: 'c.yaml', field: 'steps[1].with' })).toThrow(
      /^c\.yaml steps\[1\]\.with\.a\[0\]: cannot evaluate `steps\.bump\.outputs\.nope`: No such key: nope/,
    );
  });

  it('rejects an unclosed template', () => {
    expect(() => interpolate('x ${{ steps.bump', scope)).toThrow(/unclosed template/);
  });
});

describe('findTemplates and findTemplateReferences', () => {
  it('finds each template with its offset and path', () => {
    const value = { a: 'v${{  steps.bump.outputs.version }}', list: ['x', '${{ target.name }}'], b: '${{ }}' };
    expect(findTemplates(value)).toEqual([
      { path: ['a'], text: value.a, expression: 'steps.bump.outputs.version', offset: 6 },
      { path: ['list', 1], text: '${{ target.name }}', expression: 'target.name', offset: 4 },
      { path: ['b'], text: '${{ }}', expression: '', offset: 0, error: 'empty template "${{ }}"' },
    ]);
  });

  it('finds step references with offsets counted from the start of the string', () => {
    expect(findTemplateReferences({ v: 'x ${{ steps.bump.outputs.version }}', s: '${{ steps.test.status }}' })).toEqual([
      { path: ['v'], step: 'bump', offset: 12, output: 'version', outputOffset: 25 },
      { path: ['s'], step: 'test', offset: 10 },
    ]);
  });

  it('tells templated strings apart', () => {
    expect([isTemplated('${{ x }}'), isTemplated('x'), isTemplated(3)]).toEqual([true, false, false]);
  });
});
