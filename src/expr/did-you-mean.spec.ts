import { describe, expect, it } from 'vitest';
import { closestMatches, didYouMean, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['tier', 'tier', 0],
    ['tier', 'tierr', 1],
    ['nmae', 'name', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });
});

describe('closestMatches', () => {
  const steps = ['npm/bump-dependency', 'npm/install', 'run', 'change/open', 'change/merge'];

  it.each([
    ['npm/bump-dependecy', ['npm/bump-dependency']],
    ['rnu', ['run']],
    ['change/mrege', ['change/merge']],
    ['deploy', []],
  ])('%s suggests %j', (name, expected) => {
    expect(closestMatches(name, steps)).toEqual(expected);
  });

  it('renders one or several suggestions as a sentence', () => {
    expect(didYouMean('stpes', ['steps', 'target'])).toBe('; did you mean steps?');
    expect(didYouMean('ab', ['ac', 'ad'])).toBe('; did you mean ac or ad?');
    expect(didYouMean('zzz', ['steps'])).toBe('');
  });
});
