import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAdvisories } from '../load-advisories.js';
import type { OsvAdvisory } from '../osv.js';
import { dependency, makeFacts } from '../testing.js';
import { vulnerabilitiesCheck } from './vulnerabilities.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/compliance/', import.meta.url));

const facts = makeFacts({
  dependencies: [
    dependency('acme-parser', '3.1.0', { from: '2.4.1', kind: 'major' }),
    dependency('acme-tpl', '1.5.0', { change: 'added', direct: false }),
    dependency('acme-glob', '1.0.4', { from: '1.0.2' }),
    dependency('acme-safe', '1.0.0', { change: 'added' }),
    dependency('acme-parser-old', undefined, { from: '1.0.0' }),
  ],
});

describe('vulnerabilities', () => {
  let advisories: OsvAdvisory[];
  beforeAll(async () => {
    advisories = [...(await loadAdvisories(`${fixtures}osv`)), ...(await loadAdvisories(`${fixtures}osv-bundle.json`))];
  });

  it('reports each affected version with the advisory, its severity and the fix', () => {
    const findings = vulnerabilitiesCheck.run(facts, {}, { advisories });
    expect(findings).toEqual([
      {
        check: 'vulnerabilities',
        severity: 'block',
        reason: 'vulnerability:GHSA-aaaa-0001-demo',
        message:
          'acme-parser@3.1.0 is affected by GHSA-aaaa-0001-demo (CVE-2099-0001): Prototype pollution in acme-parser ' +
          '(fictional test advisory); severity high (CVSS 8.1); fixed in 3.1.2',
      },
      {
        check: 'vulnerabilities',
        severity: 'block',
        reason: 'vulnerability:OSV-TEST-0002',
        message:
          'acme-tpl@1.5.0 is affected by OSV-TEST-0002: Template injection in acme-tpl when rendering untrusted partials.; ' +
          'severity critical (CVSS 9.8); no fixed version',
      },
      {
        check: 'vulnerabilities',
        severity: 'block',
        reason: 'vulnerability:GHSA-aaaa-0004-demo',
        message: 'acme-glob@1.0.4 is affected by GHSA-aaaa-0004-demo: ReDoS in acme-glob (fictional test advisory); severity low; no fixed version',
      },
    ]);
  });

  it('gives advisories below the minimum rating the lower severity, and accepted risks an info', () => {
    const findings = vulnerabilitiesCheck.run(
      facts,
      { minimum: 'high', below: 'warn', ignore: [{ id: 'CVE-2099-0001', reason: 'not reachable: we never parse untrusted input' }] },
      { advisories },
    );
    expect(findings.map((finding) => [finding.reason, finding.severity])).toEqual([
      ['vulnerability:GHSA-aaaa-0001-demo', 'info'],
      ['vulnerability:OSV-TEST-0002', 'block'],
      ['vulnerability:GHSA-aaaa-0004-demo', 'warn'],
    ]);
    expect(findings[0]?.message).toContain('(accepted: not reachable');
  });

  it('passes fixed versions', () => {
    const fixed = makeFacts({ dependencies: [dependency('acme-parser', '3.1.2'), dependency('acme-tpl', '1.6.0'), dependency('acme-glob', '1.0.5')] });
    expect(vulnerabilitiesCheck.run(fixed, {}, { advisories })).toEqual([]);
  });

  it('fails safe when no database was loaded', () => {
    expect(vulnerabilitiesCheck.run(facts, {}, {})).toEqual([
      expect.objectContaining({ severity: 'block', reason: 'vulnerability:no-database' }),
    ]);
    expect(vulnerabilitiesCheck.run(facts, { missingDatabase: 'warn' }, {})[0]?.severity).toBe('warn');
  });
});
