import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJunit } from './parse-junit.js';
import { parseTap } from './parse-tap.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../test/fixtures/confidence/test-output/${name}`, import.meta.url), 'utf8');

describe('reading node --test output', () => {
  it('reads TAP: the summary, and the failing tests by name with their suite, not the suite itself', () => {
    expect(parseTap(fixture('node20-tap.txt'))).toEqual({ format: 'tap', total: 5, passed: 2, failed: 2, skipped: 1, failures: ['breaks', 'suite > inner bad'] });
  });

  it('reads the spec reporter the same way', () => {
    expect(parseTap(fixture('node20-spec.txt'))).toEqual({ format: 'tap', total: 5, passed: 2, failed: 2, skipped: 1, failures: ['breaks', 'inner bad'] });
  });

  it('adds up several runs, reads tape-style summaries, and gives up without a summary', () => {
    const tape = ['TAP version 13', '# adds', 'ok 1 should be equal', '# breaks', 'not ok 2 should be equal', '', '1..2', '# tests 2', '# pass  1', '# fail  1'].join('\n');
    expect(parseTap(tape)).toMatchObject({ total: 2, failures: ['should be equal'] });
    const twice = `${fixture('node20-tap.txt')}\n${fixture('node20-tap.txt')}`;
    expect(parseTap(twice)).toMatchObject({ total: 10, passed: 4, failed: 4, failures: ['breaks', 'suite > inner bad'] });
    expect(parseTap('ok 1 - adds\nnot ok 2 - breaks\n')).toBeUndefined();
    expect(parseTap('npm ERR! missing script: test')).toBeUndefined();
  });

  it('unescapes names and leaves TODO failures out', () => {
    const tap = ['not ok 1 - handles \\# signs', 'not ok 2 - later # TODO not done', '# tests 2', '# pass 0', '# fail 1', '# todo 1'].join('\n');
    expect(parseTap(tap)).toEqual({ format: 'tap', total: 2, passed: 0, failed: 1, skipped: 1, failures: ['handles # signs'] });
  });
});

describe('reading JUnit XML', () => {
  it('counts test cases and names failures and errors with their class', () => {
    expect(parseJunit(fixture('surefire.xml'))).toEqual({
      format: 'junit',
      total: 4,
      passed: 1,
      failed: 2,
      skipped: 1,
      failures: ['com.acme.MoneyTest > formats & rounds', 'com.acme.MoneyTest > parses "EUR"'],
    });
    expect(parseJunit('<testsuites/>')).toBeUndefined();
  });
});
