import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedKeys, combineErrors, zodIssuesToErrors } from './zod-issues.js';
import { parseYamlSource } from './yaml-source.js';

const schema = z.strictObject({
  name: z.string().min(3),
  mode: z.enum(['fast', 'safe']).optional(),
  count: z.number().int().max(10).optional(),
  items: z.array(z.strictObject({ id: z.string(), size: z.number().optional() })).min(1, 'needs at least one item').optional(),
  ref: z.union([z.string(), z.strictObject({ branch: z.string() })]).optional(),
  labels: z.record(z.string().regex(/^[a-z]+$/), z.string()).optional(),
});

function messages(text: string): string[] {
  const source = parseYamlSource(text, 'x.yaml');
  const result = schema.safeParse(source.value);
  if (result.success) return [];
  return zodIssuesToErrors(result.error.issues, { source, schema }).map((error) => error.message);
}

describe('zodIssuesToErrors', () => {
  it.each([
    ['a missing key', 'mode: fast\n', ['x.yaml:1:1 name: required field is missing']],
    ['a wrong type', 'name: 12345\n', ['x.yaml:1:7 name: expected text, got 12345']],
    ['a too short string', 'name: ab\n', ['x.yaml:1:7 name: must have at least 3 characters']],
    ['a number above its maximum', 'name: abc\ncount: 11\n', ['x.yaml:2:8 count: must be at most 10']],
    ['a fraction where a whole number is expected', 'name: abc\ncount: 1.5\n', ['x.yaml:2:8 count: expected a whole number, got 1.5']],
    ['an enum', 'name: abc\nmode: fats\n', ['x.yaml:2:7 mode: must be one of "fast", "safe", got "fats"; did you mean fast?']],
    ['a custom message', 'name: abc\nitems: []\n', ['x.yaml:2:8 items: needs at least one item']],
    [
      'an unknown nested key',
      'name: abc\nitems:\n  - id: a\n    sise: 1\n',
      ['x.yaml:4:5 items[0].sise: unknown field "sise"; did you mean size?; allowed: id, size'],
    ],
    ['a union of kinds', 'name: abc\nref: [1]\n', ['x.yaml:2:6 ref: expected text or a mapping (key: value), got a list']],
    ['the union branch of the right kind', 'name: abc\nref:\n  brnach: main\n', [
      'x.yaml:3:3 ref.branch: required field is missing',
      'x.yaml:3:3 ref.brnach: unknown field "brnach"; did you mean branch?; allowed: branch',
    ]],
    ['a record key', 'name: abc\nlabels:\n  Team: x\n', ['x.yaml:3:3 labels.Team: invalid key "Team": must match /^[a-z]+$/']],
    ['a document that is not a mapping', '- a\n', ['x.yaml:1:1: expected a mapping (key: value), got a list']],
  ])('%s', (_title, text, expected) => {
    const actual = messages(text);
    expect(actual).toHaveLength(expected.length);
    expected.forEach((want, index) => {
      if (typeof want === 'string') expect(actual[index]).toBe(want);
      else expect(actual[index]).toMatch(want);
    });
  });
});

describe('allowedKeys', () => {
  it.each([
    [[], ['name', 'mode', 'count', 'items', 'ref', 'labels']],
    [['items', 0], ['id', 'size']],
    [['ref'], ['branch']],
    [['name'], []],
  ])('at %j', (path, expected) => {
    expect(allowedKeys(schema, path)).toEqual(expected);
  });
});

describe('combineErrors', () => {
  it('keeps a single error as it is and lists several', () => {
    const source = parseYamlSource('name: 1\nmode: x\n', 'x.yaml');
    const issues = schema.safeParse(source.value).error?.issues ?? [];
    const errors = zodIssuesToErrors(issues, { source, schema });
    expect(combineErrors(errors.slice(0, 1))).toBe(errors[0]);
    const combined = combineErrors(errors);
    expect(combined.message.split('\n')).toEqual(['2 problems:', `  ${errors[0]?.message}`, `  ${errors[1]?.message}`]);
    // Several problems have several places: the combined error names only the file.
    expect(combined.location).toEqual({ file: 'x.yaml' });
  });
});
