import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bearerMatches, loadApiToken } from './api-token.js';

describe('loadApiToken', () => {
  it('generates a token once, keeps it with mode 0600, and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-token-'));
    const first = await loadApiToken(join(dir, 'state'), {});
    expect(first.source).toBe('generated');
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(dir, 'state', 'api-token'))).mode & 0o777).toBe(0o600);
    const second = await loadApiToken(join(dir, 'state'), {});
    expect(second).toEqual({ token: first.token, source: 'file', file: join(dir, 'state', 'api-token') });
  });

  it('narrows a token file others can read back to 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-token-'));
    await writeFile(join(dir, 'api-token'), 'a-token-someone-wrote-by-hand\n');
    await chmod(join(dir, 'api-token'), 0o644);
    expect((await loadApiToken(dir, {})).token).toBe('a-token-someone-wrote-by-hand');
    expect((await stat(join(dir, 'api-token'))).mode & 0o777).toBe(0o600);
  });

  it('prefers FLOTILLA_API_TOKEN and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-token-'));
    expect(await loadApiToken(dir, { FLOTILLA_API_TOKEN: 'from-the-environment-123' })).toEqual({ token: 'from-the-environment-123', source: 'environment' });
    await expect(readFile(join(dir, 'api-token'))).rejects.toThrow(/ENOENT/);
    await expect(loadApiToken(dir, { FLOTILLA_API_TOKEN: 'short' })).rejects.toThrow(/at least 16/);
  });
});

describe('bearerMatches', () => {
  it.each([
    ['Bearer secret-token-value', true],
    ['bearer secret-token-value', true],
    ['Bearer secret-token-valuE', false],
    ['Bearer', false],
    ['Basic c2VjcmV0', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => {
    expect(bearerMatches(header, 'secret-token-value')).toBe(expected);
  });
});
