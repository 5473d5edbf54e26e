import { describe, expect, it } from 'vitest';
import { affects, matchAdvisories, osvAdvisorySchema, osvAffectedSchema } from './osv.js';

const range = (type: string, ...events: Array<Record<string, string>>) => ({ ranges: [{ type, events }] });

describe('affects (OSV range evaluation)', () => {
  it.each([
    ['introduced 0, fixed 2.4.1', range('SEMVER', { introduced: '0' }, { fixed: '2.4.1' }), '2.4.0', true, '2.4.1'],
    ['… the fixed version itself', range('SEMVER', { introduced: '0' }, { fixed: '2.4.1' }), '2.4.1', false, undefined],
    ['… a prerelease of the fix', range('SEMVER', { introduced: '0' }, { fixed: '2.4.1' }), '2.4.1-rc.1', true, '2.4.1'],
    ['two ranges, between them', range('ECOSYSTEM', { introduced: '0' }, { fixed: '2.4.1' }, { introduced: '3.0.0' }, { fixed: '3.1.2' }), '2.9.0', false, undefined],
    ['two ranges, in the second', range('ECOSYSTEM', { fixed: '3.1.2' }, { introduced: '3.0.0' }, { fixed: '2.4.1' }, { introduced: '0' }), '3.1.0', true, '3.1.2'],
    ['last_affected is inclusive', range('SEMVER', { introduced: '1.0.0' }, { last_affected: '1.5.0' }), '1.5.0', true, undefined],
    ['after last_affected', range('SEMVER', { introduced: '1.0.0' }, { last_affected: '1.5.0' }), '1.5.1', false, undefined],
    ['before introduced', range('SEMVER', { introduced: '1.0.0' }, { last_affected: '1.5.0' }), '0.9.9', false, undefined],
    ['never fixed', range('SEMVER', { introduced: '1.2.0' }), '9.9.9', true, undefined],
    ['GIT ranges are not evaluated', range('GIT', { introduced: '0' }), '1.0.0', false, undefined],
  ])('%s: %s', (_name, affected, version, isAffected, fixed) => {
    const result = affects(osvAffectedSchema.parse(affected), version);
    expect(result.affected).toBe(isAffected);
    expect(result.fixed).toBe(fixed);
  });

  it('matches listed versions exactly', () => {
    const affected = osvAffectedSchema.parse({ versions: ['1.0.3'] });
    expect(affects(affected, '1.0.3').affected).toBe(true);
    expect(affects(affected, '1.0.4').affected).toBe(false);
  });
});

describe('matchAdvisories', () => {
  const advisories = [
    osvAdvisorySchema.parse({
      id: 'GHSA-x',
      affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
      database_specific: { severity: 'MODERATE' },
    }),
    osvAdvisorySchema.parse({
      id: 'GHSA-y',
      withdrawn: '2025-01-01T00:00:00Z',
      affected: [{ package: { ecosystem: 'npm', name: 'a' }, versions: ['1.0.0'] }],
    }),
    osvAdvisorySchema.parse({
      id: 'PYSEC-z',
      affected: [{ package: { ecosystem: 'PyPI', name: 'a' }, versions: ['1.0.0'] }],
    }),
  ];

  it('matches by ecosystem and name, skips withdrawn advisories, and rates them', () => {
    expect(matchAdvisories(advisories, 'npm', 'a', '1.0.0').map((match) => [match.advisory.id, match.fixed, match.rating])).toEqual([
      ['GHSA-x', '1.0.1', 'moderate'],
    ]);
  });

  it('tolerates fields it does not know and odd values', () => {
    const parsed = osvAdvisorySchema.safeParse({ id: 'X', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: 'nope', extra: 1 }], severity: 'high' });
    expect(parsed.success).toBe(true);
  });
});
