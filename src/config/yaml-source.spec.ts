import { describe, expect, it } from 'vitest';
import { isFlotillaError } from '../model/errors.js';
import { keyPositionOf, parseYamlSource, positionOf, siteAt } from './yaml-source.js';

describe('parseYamlSource', () => {
  it.each([
    ['an unclosed flow sequence', 'a: [1, 2\nb: 3\n', 'f.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['a duplicate key', 'a: 1\na: 2\n', 'f.yaml:2:1: invalid YAML: Map keys must be unique'],
    ['a tab as indentation', 'a:\n\t- b\n', /^f\.yaml:2:1: invalid YAML: /],
    ['two documents', 'a: 1\n---\nb: 2\n', /^f\.yaml:\d+:\d+: invalid YAML: Source contains multiple documents/],
  ])('rejects %s with the parser reason and position', (_title, text, expected) => {
    let caught: unknown;
    try {
      parseYamlSource(text, 'f.yaml');
    } catch (error) {
      caught = error;
    }
    expect(isFlotillaError(caught) && caught.code).toBe('bad-input');
    const message = (caught as Error).message;
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  it('gives null for an empty file', () => {
    expect(parseYamlSource('', 'f.yaml').value).toBeNull();
  });
});

describe('positions', () => {
  const source = parseYamlSource('steps:\n  - id: a\n    with:\n      v: 1\n  - id: b\n', 'f.yaml');

  it.each([
    [['steps', 1, 'id'], { line: 5, column: 9 }],
    [['steps', 0, 'with', 'v'], { line: 4, column: 10 }],
    [['steps', 0, 'with', 'missing'], { line: 4, column: 7 }],
    [['steps', 7], { line: 2, column: 3 }],
  ])('value at %j', (path, expected) => {
    expect(positionOf(source, path)).toEqual(expected);
  });

  it('points at the key itself for unknown keys', () => {
    expect(keyPositionOf(source, ['steps', 0, 'with', 'v'])).toEqual({ line: 4, column: 7 });
  });
});

describe('siteAt', () => {
  it.each([
    ['a plain scalar', 'if: a && bb\n', 5, { line: 1, column: 10 }],
    ['a double-quoted scalar', `if: "'x' in bb"\n`, 7, { line: 1, column: 13 }],
    ['a double-quoted scalar with an escape between words', 'if: "a\\u0020bb"\n', 3, { line: 1, column: 14 }],
    ['a literal block', 'if: |\n  a &&\n    bb\n', 7, { line: 3, column: 5 }],
    ['a folded plain scalar', 'if: a &&\n  bb\n', 5, { line: 2, column: 3 }],
  ])('maps an offset inside %s to the file', (_title, text, offset, expected) => {
    const site = siteAt(parseYamlSource(text, 'f.yaml'), ['if']);
    expect(site.positionAt?.(offset)).toEqual(expected);
    expect(site.field).toBe('if');
  });

  it('falls back to the scalar start after an escape it cannot follow', () => {
    const site = siteAt(parseYamlSource('if: "\\u0061 && bb"\n', 'f.yaml'), ['if']);
    expect([site.line, site.column, site.positionAt?.(3)]).toEqual([1, 5, undefined]);
  });
});
