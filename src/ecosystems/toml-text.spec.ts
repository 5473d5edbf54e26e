import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { findTomlString, tomlStrings } from './toml-text.js';

const SAMPLE = `# catalog
[versions]
okhttp = "4.9.0"   # pinned
"quoted.key" = 'lit'

[libraries]
okhttp = { module = "com.squareup.okhttp3:okhttp", version.ref = "okhttp" }
guava = { group = "com.google.guava", name = "guava", version = { strictly = "31.1-jre" } }
plain = "org.slf4j:slf4j-api:2.0.9"

[project]
dependencies = [
  "requests>=2.31.0", # http
  'rich',
]
text = """
multi "line"
"""
date = 1979-05-27T07:32:00Z
escaped = "a\\tb"

[[tool.item]]
name = "first"
[[tool.item]]
name = "second"
`;

describe('tomlStrings', () => {
  const strings = tomlStrings(SAMPLE);

  it.each([
    [['versions', 'okhttp'], '4.9.0'],
    [['versions', 'quoted.key'], 'lit'],
    [['libraries', 'okhttp', 'module'], 'com.squareup.okhttp3:okhttp'],
    [['libraries', 'okhttp', 'version', 'ref'], 'okhttp'],
    [['libraries', 'guava', 'version', 'strictly'], '31.1-jre'],
    [['libraries', 'plain'], 'org.slf4j:slf4j-api:2.0.9'],
    [['project', 'dependencies', 0], 'requests>=2.31.0'],
    [['project', 'dependencies', 1], 'rich'],
    [['project', 'text'], 'multi "line"\n'],
    [['tool', 'item', 0, 'name'], 'first'],
    [['tool', 'item', 1, 'name'], 'second'],
  ])('finds %j = %j at its exact position', (path, value) => {
    const found = findTomlString(strings, path);
    expect(found?.value).toBe(value);
    if (found && !found.escaped) expect(SAMPLE.slice(found.contentStart, found.contentEnd)).toBe(value);
  });

  it('decodes escapes and marks them', () => {
    expect(findTomlString(strings, ['project', 'escaped'])).toMatchObject({ value: 'a\tb', escaped: true });
  });

  it('agrees with smol-toml on every string it finds', () => {
    const parsed = parse(SAMPLE) as Record<string, unknown>;
    for (const item of strings) {
      let node: unknown = parsed;
      for (const key of item.path) node = (node as Record<string | number, unknown>)[key];
      expect(node, item.path.join('.')).toBe(item.value);
    }
  });
});
