import { describe, expect, it } from 'vitest';
import { compareLoose, versionBumpKind } from './version-kind.js';

describe('versionBumpKind', () => {
  it.each([
    ['1.2.3', '1.2.4', 'patch'],
    ['v1.3.0', 'v1.6.0', 'minor'],
    ['v0.9.1', 'v2.0.0+incompatible', 'major'],
    ['31.1-jre', '33.1.0-jre', 'major'],
    ['2.31', '2.32.3', 'minor'],
    ['5.3.9.RELEASE', '5.3.10.RELEASE', 'patch'],
    ['2.0.Final', '2.1.Final', 'minor'],
    ['1.0', '1.1rc1', 'prerelease'],
    ['1.0.0', '1.0.0', 'none'],
    ['31.1-jre', '31.1-android', 'none'],
    ['1.2.3.4', '1.2.3.5', 'none'],
    ['latest', '1.0', 'none'],
  ])('%s → %s is %s', (from, to, kind) => {
    expect(versionBumpKind(from, to)).toBe(kind);
  });
});

describe('compareLoose', () => {
  it.each([
    ['2.32.3', '3', -1],
    ['3.0', '3', 0],
    ['1.10', '1.9', 1],
    ['2.0rc1', '2.0', -1],
    ['1.0-jre', '1.0-android', undefined],
  ])('%s vs %s is %s', (a, b, order) => {
    expect(compareLoose(a, b)).toBe(order);
  });
});
