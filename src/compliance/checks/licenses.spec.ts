import { describe, expect, it } from 'vitest';
import type { Finding } from '../check.js';
import { dependency, makeFacts } from '../testing.js';
import { licenceChoices, licensesCheck } from './licenses.js';

const facts = makeFacts({
  dependencies: [
    dependency('express', '5.0.1', { licence: 'MIT' }),
    dependency('dual', '1.0.0', { licence: '(MIT OR GPL-3.0-only)', change: 'added', direct: false }),
    dependency('copyleft', '2.1.0', { licence: 'GPL-3.0-only', change: 'added' }),
    dependency('later', '1.0.0', { licence: 'GPL-2.0-or-later', direct: false }),
    dependency('both', '1.0.0', { licence: 'MIT AND LGPL-2.1-only' }),
    dependency('llvm', '1.0.0', { licence: 'Apache-2.0 WITH LLVM-exception' }),
    dependency('anonymous', '0.1.0', { change: 'added' }),
    dependency('custom', '3.0.0', { licence: 'SEE LICENSE IN LICENSE.md' }),
    dependency('gone', undefined, { licence: 'GPL-3.0-only' }),
  ],
});

const reasons = (findings: Finding[]): Record<string, [string, string]> =>
  Object.fromEntries(findings.map((finding) => [finding.message.split('@')[0] ?? '', [finding.reason, finding.severity]]));

describe('licenses', () => {
  it('checks added and changed dependencies against allow and deny lists', () => {
    const findings = licensesCheck.run(facts, { allow: ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC'], deny: ['GPL-3.0-only'] }, {});
    expect(reasons(findings)).toEqual({
      copyleft: ['license:denied', 'block'],
      later: ['license:denied', 'block'],
      both: ['license:not-allowed', 'block'],
      llvm: ['license:not-allowed', 'block'],
      anonymous: ['license:unknown', 'warn'],
      custom: ['license:unknown', 'warn'],
    });
    expect(findings.find((finding) => finding.message.startsWith('copyleft'))?.message).toBe(
      'copyleft@2.1.0 is licensed GPL-3.0-only, which the policy denies',
    );
  });

  it('passes a dual licence when one choice is allowed', () => {
    const findings = licensesCheck.run(facts, { allow: ['MIT'] }, {});
    expect(findings.some((finding) => finding.message.startsWith('dual@'))).toBe(false);
    expect(findings.some((finding) => finding.message.startsWith('express@'))).toBe(false);
  });

  it('with a deny list only, allows everything else', () => {
    const findings = licensesCheck.run(facts, { deny: ['GPL-3.0-only', 'LGPL-2.1-only'], unknown: 'info' }, {});
    expect(reasons(findings)).toEqual({
      copyleft: ['license:denied', 'block'],
      later: ['license:denied', 'block'],
      both: ['license:denied', 'block'],
      anonymous: ['license:unknown', 'info'],
      custom: ['license:unknown', 'info'],
    });
  });

  it('can look at direct dependencies only and skip reviewed packages', () => {
    const findings = licensesCheck.run(facts, { deny: ['GPL-3.0-only'], include: 'direct', ignore: ['copyleft'], unknown: 'info' }, {});
    expect(findings.map((finding) => finding.message.split('@')[0])).toEqual(['anonymous', 'custom']);
  });

  it('rejects an expression in the lists', () => {
    expect(licensesCheck.params.safeParse({ allow: ['MIT OR ISC'] }).success).toBe(false);
    expect(licensesCheck.params.safeParse({ deny: ['GPL-2.0+'] }).success).toBe(true);
  });
});

describe('licenceChoices', () => {
  it.each([
    ['MIT', [['MIT']]],
    ['(MIT OR Apache-2.0) AND BSD-3-Clause', [['MIT', 'BSD-3-Clause'], ['Apache-2.0', 'BSD-3-Clause']]],
    ['GPL-2.0+', [['GPL-2.0+']]],
    ['not a licence', undefined],
  ])('%s', (expression, choices) => {
    expect(licenceChoices(expression)).toEqual(choices);
  });
});
