import { describe, expect, it } from 'vitest';
import { gitDiff, makeFacts } from '../testing.js';
import { protectedPathsCheck } from './protected-paths.js';

const diff = [
  gitDiff([
    { path: 'src/app.ts', removed: ['a'], added: ['b'] },
    { path: '.github/workflows/deploy.yml', removed: ['runs-on: ubuntu-22.04'], added: ['runs-on: ubuntu-24.04'] },
    { path: 'infra/prod/main.tf', added: ['resource "x" "y" {}'] },
  ]),
  'diff --git a/secrets/keys.md b/docs/keys.md\nsimilarity index 100%\nrename from secrets/keys.md\nrename to docs/keys.md\n',
].join('');

const CODEOWNERS = '* @acme/everyone\n/infra/ @acme/sre\n/.github/ @acme/platform @acme/security\n/docs/\n';

describe('protected-paths', () => {
  const facts = makeFacts({ diff, codeowners: CODEOWNERS });

  it('blocks changes to off-limits paths, including a rename away from one', () => {
    const findings = protectedPathsCheck.run(facts, { offLimits: ['.github/workflows/**', 'secrets/**'] }, {});
    expect(findings).toEqual([
      {
        check: 'protected-paths',
        severity: 'block',
        reason: 'protected-path:off-limits',
        message: '.github/workflows/deploy.yml is off-limits to automation (.github/workflows/**)',
        file: '.github/workflows/deploy.yml',
      },
      {
        check: 'protected-paths',
        severity: 'block',
        reason: 'protected-path:off-limits',
        message: 'secrets/keys.md is off-limits to automation (secrets/**)',
        file: 'secrets/keys.md',
      },
    ]);
  });

  it('names the owners a path needs, per the last matching CODEOWNERS line', () => {
    const findings = protectedPathsCheck.run(facts, { codeowners: { severity: 'warn', owners: ['@acme/sre', '@acme/security'] } }, {});
    expect(findings.map((finding) => [finding.file, finding.severity, finding.message])).toEqual([
      ['.github/workflows/deploy.yml', 'warn', '.github/workflows/deploy.yml needs its owners @acme/security (CODEOWNERS line 3: /.github/)'],
      ['infra/prod/main.tf', 'warn', 'infra/prod/main.tf needs its owners @acme/sre (CODEOWNERS line 2: /infra/)'],
    ]);
  });

  it('without an owner filter, any owned path counts; an ownerless line unsets the owners', () => {
    const findings = protectedPathsCheck.run(facts, { codeowners: { severity: 'block' } }, {});
    expect(findings.map((finding) => finding.file)).toEqual(['src/app.ts', '.github/workflows/deploy.yml', 'infra/prod/main.tf', 'secrets/keys.md']);
    expect(findings.every((finding) => finding.severity === 'block')).toBe(true);
  });

  it('prefers the CODEOWNERS text in the env, and is silent without one', () => {
    const fromEnv = protectedPathsCheck.run(facts, { codeowners: {} }, { codeowners: '/src/ @acme/web\n' });
    expect(fromEnv.map((finding) => finding.file)).toEqual(['src/app.ts']);
    expect(protectedPathsCheck.run(makeFacts({ diff }), { codeowners: {} }, {})).toEqual([]);
    expect(protectedPathsCheck.run(facts, {}, {})).toEqual([]);
  });
});
