import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep, REDACTED } from './redact.js';

describe('createRedactor', () => {
  const tokenValue = ['s3cr', 'et-value-', '123456'].join('');
  const redact = createRedactor({ API_TOKEN: tokenValue, HOME: '/home/someone', SHORT_SECRET: 'abc' });

  it.each([
    ['the value of a secret-named variable', `token is ${tokenValue}!`, `token is ${REDACTED}!`],
    ['a GitHub token shape', `auth ${'ghp_'}${'a'.repeat(36)} ok`, `auth ${REDACTED} ok`],
    ['an AWS key id', `key=${'AKIA'}${'ABCDEFGHIJKLMNOP'}`, `key=${REDACTED}`],
    ['a password in a URL', 'https://user:hunter22@example.com/repo.git', `https://user:${REDACTED}@example.com/repo.git`],
  ])('hides %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text and non-secret variables alone', () => {
    expect(redact('HOME is /home/someone and abc stays')).toBe('HOME is /home/someone and abc stays');
  });

  it('redacts inside nested values', () => {
    expect(redactDeep({ list: [`x ${tokenValue}`], n: 3 }, redact)).toEqual({ list: [`x ${REDACTED}`], n: 3 });
  });
});
