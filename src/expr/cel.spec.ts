import { describe, expect, it } from 'vitest';
import type { TargetFacts } from '../model/fleet.js';
import { isFlotillaError } from '../model/errors.js';
import { compileCondition, compileTargetSelector, stepReferences, type ConditionScope } from './cel.js';

const facts: TargetFacts = {
  name: 'checkout',
  repo: 'services/checkout',
  owner: 'payments',
  tier: 1,
  tags: ['web', 'payments'],
  defaultBranch: 'main',
  commit: 'a'.repeat(40),
  languages: ['typescript'],
  packageManager: 'npm',
  dependencies: { debug: '^4.3.0', express: '^4.18.0' },
  devDependencies: { vitest: '^4.0.0' },
  hasTests: true,
  testCommand: 'npm test',
};

function scope(outputs: Record<string, unknown> = {}, status = 'succeeded'): ConditionScope {
  return { steps: { bump: { outputs, status } }, target: facts, campaign: { name: 'debug-4-4' } };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

describe('compileTargetSelector', () => {
  it.each([
    ["'debug' in dependencies", facts, true],
    ["'debug' in dependencies", { ...facts, dependencies: { lodash: '4' } }, false],
    ["tier <= 1 && 'web' in tags", facts, true],
    ["tier <= 1 && 'web' in tags", { ...facts, tier: 2 }, false],
    ["tier <= 1 && 'web' in tags", { ...facts, tags: ['batch'] }, false],
    ["'toString' in dependencies", facts, false],
    ["packageManager == 'npm' && dependencies['debug'].startsWith('^4')", facts, true],
    ["languages.exists(l, l == 'typescript') && hasTests", facts, true],
  ])('%s', (expression, target, expected) => {
    expect(compileTargetSelector(expression)(target)).toBe(expected);
  });

  it('rejects an unknown variable at compile time, with its position and a suggestion', () => {
    const error = thrown(() =>
      compileTargetSelector("'debug' in dependencys", { file: 'c.yaml', field: 'targets', positionAt: (offset) => ({ line: 3, column: 10 + offset }) }),
    );
    expect(isFlotillaError(error) && error.code).toBe('bad-input');
    expect(error.message).toBe('c.yaml:3:21 targets: Unknown variable: dependencys; did you mean dependencies?');
  });

  it.each([
    ['tier +', /Unexpected token/],
    ['name', /must be true or false, but this expression gives string/],
    ["tier == 'one'", /no such overload/i],
  ])('rejects %s', (expression, message) => {
    expect(thrown(() => compileTargetSelector(expression)).message).toMatch(message);
  });
});

describe('compileCondition', () => {
  it.each([
    ["steps.bump.status == 'succeeded'", scope(), true],
    ['steps.bump.outputs.changed', scope({ changed: true }), true],
    ['steps.bump.outputs.count + 1 == 3', scope({ count: 2 }), true],
    ['steps.bump.outputs.ratio > 0.5', scope({ ratio: 0.75 }), true],
    ["target.tier <= 1 && 'debug' in target.dependencies", scope(), true],
    ["campaign.name == 'debug-4-4'", scope(), true],
    ['has(steps.bump.outputs.changed)', scope(), false],
  ])('%s', (expression, values, expected) => {
    expect(compileCondition(expression)(values)).toBe(expected);
  });

  it.each([
    ['steps.bump.outptus', /No such key: outptus; did you mean outputs\?/],
    ['target.tierr <= 1', /No such key: tierr; did you mean tier\?/],
    ['campaign.nmae', /did you mean name\?/],
    ['stpes.bump.status', /Unknown variable: stpes; did you mean steps\?/],
    ["steps.bump.status + 'x'", /gives string/],
  ])('rejects %s at compile time', (expression, message) => {
    expect(thrown(() => compileCondition(expression)).message).toMatch(message);
  });

  it('says clearly when a dynamic value is not a boolean at run time', () => {
    const condition = compileCondition('steps.bump.outputs.version', { file: 'c.yaml', line: 7, column: 9, field: 'steps[1].if' });
    expect(thrown(() => condition(scope({ version: '4.4.0' }))).message).toBe(
      'c.yaml:7:9 steps[1].if: a condition must give true or false, but `steps.bump.outputs.version` gave string "4.4.0"',
    );
  });

  it('reports a missing output at run time as bad input', () => {
    const error = thrown(() => compileCondition('steps.bump.outputs.changed')(scope()));
    expect(isFlotillaError(error) && error.code).toBe('bad-input');
    expect(error.message).toMatch(/No such key: changed/);
  });
});

describe('stepReferences', () => {
  it('finds steps.<id> and steps.<id>.outputs.<key> with their offsets', () => {
    const expression = "steps.bump.outputs.version + steps['lock'].outputs['file'] + [1].map(x, steps.test.status)[0]";
    expect(stepReferences(expression)).toEqual([
      { step: 'bump', offset: 6, output: 'version', outputOffset: 19 },
      { step: 'lock', offset: 36, output: 'file', outputOffset: 52 },
      { step: 'test', offset: 78 },
    ]);
  });

  it('finds nothing in an expression that does not parse', () => {
    expect(stepReferences('steps.')).toEqual([]);
  });
});
