import { describe, expect, it } from 'vitest';
import { CHECKS, findCheck } from './checks.js';
import { makeFacts } from './testing.js';

describe('the check registry', () => {
  it('lists the checks alphabetically, once each', () => {
    const ids = CHECKS.map((check) => check.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['denied-versions', 'diff-size', 'freeze-windows', 'licenses', 'protected-paths', 'secrets', 'vulnerabilities']);
  });

  it.each(CHECKS.map((check) => [check.id, check] as const))('%s is complete and runs on an empty change with default params', (id, check) => {
    expect(check.id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
    expect(check.description.length).toBeGreaterThan(20);
    expect(check.params.safeParse({}).success).toBe(true);
    expect(check.params.safeParse({ noSuchParam: true }).success).toBe(false);
    const findings = check.run(makeFacts({}), {}, { advisories: [] });
    expect(findings).toEqual([]);
    expect(findCheck(id)).toBe(check);
  });
});
