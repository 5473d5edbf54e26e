import { describe, expect, it } from 'vitest';
import { isTestPath, languageOf, topLanguages } from './languages.js';

describe('languages', () => {
  it.each([
    ['src/a.ts', 'typescript'],
    ['src/App.TSX', 'typescript'],
    ['lib/x.mjs', 'javascript'],
    ['public/app.min.js', undefined],
    ['node_modules/x/index.js', undefined],
    ['vendor/github.com/x/y.go', undefined],
    ['Makefile', undefined],
    ['.gitignore', undefined],
  ])('%s is %s', (path, expected) => {
    expect(languageOf(path)).toBe(expected);
  });

  it('keeps the languages with a real share, most files first', () => {
    const paths = [...Array.from({ length: 30 }, (_, i) => `src/${i}.ts`), 'a.js', 'b.js', 'c.py'];
    expect(topLanguages(paths)).toEqual(['typescript', 'javascript']);
    expect(topLanguages(['README.md'])).toEqual([]);
  });

  it.each([
    ['test/a.js', true],
    ['src/__tests__/a.ts', true],
    ['src/a.spec.ts', true],
    ['pkg/x_test.go', true],
    ['test_app.py', true],
    ['src/main/java/FooTest.java', true],
    ['spec/models/user_spec.rb', true],
    ['src/contest.ts', false],
    ['node_modules/x/test/a.js', false],
  ])('isTestPath(%s) is %s', (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });
});
