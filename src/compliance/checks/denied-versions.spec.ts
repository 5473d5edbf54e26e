import { describe, expect, it } from 'vitest';
import { dependency, makeFacts } from '../testing.js';
import { deniedVersionsCheck } from './denied-versions.js';

const facts = makeFacts({
  dependencies: [
    dependency('log4js', '6.4.0', { from: '6.3.0' }),
    dependency('event-stream', '3.3.6', { change: 'added' }),
    dependency('@acme/http', '2.0.0-beta.3'),
    dependency('left-pad', '1.3.0'),
    dependency('colors', undefined, { from: '1.4.1' }),
    dependency('ua-parser-js', '^0.7.29', { change: 'added' }),
  ],
});

const rules = [
  { dependency: 'event-stream', versions: '3.3.6', reason: 'compromised release (flatmap-stream)' },
  { dependency: 'log4js', versions: '>=6.0.0 <6.4.0', reason: 'leaks credentials in logs' },
  { dependency: '@acme/*', versions: '>=2.0.0-0 <2.1.0', reason: 'the 2.0 line is broken', severity: 'warn' as const },
  { dependency: 'colors', versions: '1.4.1 || 1.4.44-liberty-2', reason: 'sabotaged release' },
  { dependency: 'ua-parser-js', versions: '0.7.29 || 0.8.0 || 1.0.0', reason: 'hijacked releases' },
];

describe('denied-versions', () => {
  const findings = deniedVersionsCheck.run(facts, { rules }, {});

  it('blocks a new version inside a denied range, with the reason', () => {
    expect(findings).toContainEqual({
      check: 'denied-versions',
      severity: 'block',
      reason: 'denied-version:event-stream',
      message: 'event-stream@3.3.6 is denied (3.3.6): compromised release (flatmap-stream)',
    });
  });

  it('matches globs over names and prereleases inside the range, at the rule\'s severity', () => {
    expect(findings.find((finding) => finding.reason === 'denied-version:@acme/http')?.severity).toBe('warn');
  });

  it('reads a package.json range by its lowest version', () => {
    expect(findings.some((finding) => finding.reason === 'denied-version:ua-parser-js')).toBe(true);
  });

  it('leaves versions outside the ranges and removed dependencies alone', () => {
    expect(findings.map((finding) => finding.reason).sort()).toEqual([
      'denied-version:@acme/http',
      'denied-version:event-stream',
      'denied-version:ua-parser-js',
    ]);
  });

  it('rejects a rule whose range is not semver', () => {
    expect(deniedVersionsCheck.params.safeParse({ rules: [{ dependency: 'x', versions: 'latest-ish', reason: 'r' }] }).success).toBe(false);
  });
});
