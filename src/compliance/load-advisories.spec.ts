import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFlotillaError } from '../model/errors.js';
import { loadAdvisories } from './load-advisories.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/compliance/', import.meta.url));

describe('loadAdvisories', () => {
  it('reads a folder of OSV files recursively, in path order', async () => {
    const advisories = await loadAdvisories(`${fixtures}osv`);
    expect(advisories.map((advisory) => advisory.id)).toEqual(['GHSA-aaaa-0001-demo', 'OSV-TEST-0002', 'GHSA-aaaa-0003-demo']);
  });

  it('reads one file holding an array', async () => {
    const advisories = await loadAdvisories(`${fixtures}osv-bundle.json`);
    expect(advisories.map((advisory) => advisory.id)).toEqual(['GHSA-aaaa-0004-demo', 'GHSA-aaaa-0005-demo']);
  });

  it('says which file is broken, and which database is missing', async () => {
    const broken: unknown = await loadAdvisories(`${fixtures}broken.json`).catch((error: unknown) => error);
    expect(isFlotillaError(broken) && broken.code).toBe('bad-input');
    expect(isFlotillaError(broken) && broken.location?.file).toContain('broken.json');
    const missing: unknown = await loadAdvisories(`${fixtures}no-such-db`).catch((error: unknown) => error);
    expect(isFlotillaError(missing) && missing.code).toBe('not-found');
  });
});
