import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error-offset.js';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": [1, 2.5e3, -0.1, true, false, null, "x\\u00e9\\n"], "b": {}}'],
    ['  [ ]  '],
    ['"just a string"'],
  ])('accepts valid JSON: %s', (text) => {
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    expect(jsonErrorOffset(text)).toBeUndefined();
  });

  it.each([
    ['[,]', 1],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ["{'a': 1}", 1],
    ['[1, 2', 5],
    ['{"a": tru}', 6],
    ['[01]', 2],
    ['"tab\there"', 4],
    ['{"a": 1} x', 9],
    ['', 0],
  ])('finds the first error in %j at %s', (text, offset) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
