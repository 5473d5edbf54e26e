import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFlotillaError, type FlotillaError } from '../model/errors.js';
import { evaluatePolicy, loadPolicy, mergePolicies } from './policy.js';
import { ALNUM, dependency, fakeChars, gitDiff, makeFacts } from './testing.js';

const FLEET_POLICY = `# policy.yaml for the whole fleet
onBlock: needs-human
checks:
  secrets: {}
  diff-size:
    warn: { files: 20, lines: 400 }
    block: { files: 200, lines: 5000 }
  licenses:
    allow: [MIT, ISC, Apache-2.0, BSD-2-Clause, BSD-3-Clause]
    unknown: warn
  denied-versions:
    rules:
      - dependency: event-stream
        versions: 3.3.6
        reason: compromised release
  freeze-windows:
    weekly:
      - { name: no Friday evenings, days: [fri], from: "16:00", to: "23:59", timezone: Europe/Paris }
rules:
  - id: major-on-critical
    when: has(target.tier) && target.tier <= 1 && dependencies.exists(d, d.kind == "major" && d.direct)
    severity: block
    message: "major upgrade of \${{ dependencies.filter(d, d.kind == 'major').map(d, d.name).join(', ') }} on tier \${{ target.tier }}"
  - id: touches-migrations
    when: |
      files.exists(f, f.path.glob("db/migrations/**"))
    severity: warn
    message: a database migration changed (\${{ totals.files }} files in all)
`;

function loadError(text: string, file = 'policy.yaml'): FlotillaError {
  try {
    loadPolicy(text, file);
  } catch (error) {
    if (isFlotillaError(error)) return error;
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('loadPolicy', () => {
  it('loads checks with their params and compiles the rules', () => {
    const policy = loadPolicy(FLEET_POLICY, 'fleet/policy.yaml');
    expect(Object.keys(policy.checks).sort()).toEqual(['denied-versions', 'diff-size', 'freeze-windows', 'licenses', 'secrets']);
    expect(policy.rules.map((rule) => [rule.id, rule.severity, rule.source.line])).toEqual([
      ['major-on-critical', 'block', 20],
      ['touches-migrations', 'warn', 24],
    ]);
    expect(policy.onBlock).toBe('needs-human');
  });

  it('loads the example in the README', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const policy = loadPolicy(example, 'policy.yaml');
    expect(Object.keys(policy.checks)).toHaveLength(7);
    expect(policy.rules.map((rule) => rule.id)).toEqual(['major-on-critical', 'migrations']);
  });

  it('accepts true, an empty value and false for a check', () => {
    const policy = loadPolicy('checks:\n  secrets: true\n  diff-size:\n  licenses: false\n', 'p.yaml');
    expect(policy.checks).toEqual({ secrets: {}, 'diff-size': {}, licenses: false });
  });

  it('makes the advisory database path relative to the policy file', () => {
    const policy = loadPolicy('checks:\n  vulnerabilities:\n    database: advisories/osv\n', 'fleet/policy.yaml');
    expect(policy.checks.vulnerabilities).toEqual({ database: 'fleet/advisories/osv' });
  });

  it.each([
    ['an unknown top-level key', 'onBlock: fail\nrulez: []\n', 2, 1, 'rulez', 'unknown key "rulez"'],
    ['an unknown check', 'checks:\n  secrets: {}\n  secret-scan: {}\n', 3, 3, 'checks.secret-scan', 'unknown check "secret-scan"; the checks are: denied-versions, diff-size'],
    ['a misspelt check', 'checks:\n  licences: {}\n', 2, 3, 'checks.licences', 'unknown check "licences"; did you mean licenses?'],
    ['a bad param', 'checks:\n  licenses:\n    allow: [MIT, "MIT OR ISC"]\n', 3, 18, 'checks.licenses.allow[1]', 'must be one SPDX licence id'],
    ['an unknown param', 'checks:\n  diff-size:\n    warn: { files: 3 }\n    blok: {}\n', 4, 5, 'checks.diff-size.blok', 'unknown key "blok"'],
    ['a bad severity', 'rules:\n  - id: r\n    when: "true"\n    severity: fatal\n    message: m\n', 4, 15, 'rules[0].severity', ''],
    ['a bad onBlock', 'onBlock: retry\n', 1, 10, 'onBlock', ''],
  ])('refuses %s, at its line and column', (_name, text, line, column, field, words) => {
    const error = loadError(text);
    expect(error.code).toBe('bad-input');
    expect(error.location).toMatchObject({ file: 'policy.yaml', line, column, field });
    expect(error.message).toContain(`policy.yaml:${line}:${column}`);
    expect(error.message).toContain(words);
  });

  it('refuses invalid YAML with the parser position', () => {
    const error = loadError('checks:\n  secrets: {\n');
    expect(error.code).toBe('bad-input');
    expect(error.location?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a rule that references an unknown variable, naming the rule and the CEL position', () => {
    const text = 'rules:\n  - id: big\n    when: totals.added > 10 && targte.tier == 0\n    severity: warn\n    message: big\n';
    const error = loadError(text);
    expect(error.location).toEqual({ file: 'policy.yaml', line: 3, column: 32, field: 'rules[0].when' });
    expect(error.message).toBe(
      'policy.yaml:3:32 rules[0].when: rule "big" does not compile: Unknown variable: targte; did you mean target? (at character 22 of the expression)',
    );
    expect(error.details).toMatchObject({ rule: 'big', celCode: 'unknown_variable', celOffset: 21 });
  });

  it('refuses an unknown field inside a literal block, at the exact line', () => {
    const text = 'rules:\n  - id: owners\n    when: |\n      files.exists(f,\n        f.pathh.startsWith("infra/"))\n    severity: warn\n    message: m\n';
    const error = loadError(text);
    expect(error.location).toMatchObject({ line: 5, column: 11 });
    expect(error.message).toContain('No such key: pathh; did you mean path?');
  });

  it('refuses syntax errors, non-boolean conditions and broken templates', () => {
    const rule = (when: string, message = 'm') => `rules:\n  - id: r1\n    when: '${when}'\n    severity: info\n    message: '${message}'\n`;
    expect(loadError(rule('files.exists(f, f.added > 1')).message).toContain('rule "r1" does not compile');
    expect(loadError(rule('totals.added + 1')).message).toContain('must be a condition (bool), but is int');
    const template = loadError(rule('true', 'size is ${{ totals.addd }}'));
    expect(template.location).toMatchObject({ line: 5, column: 34, field: 'rules[0].message' });
    expect(loadError(rule('true', 'oops ${{ totals.added')).message).toContain('unclosed placeholder');
  });

  it('refuses two rules with one id', () => {
    const text = 'rules:\n  - { id: a, when: "true", severity: info, message: x }\n  - { id: a, when: "false", severity: info, message: y }\n';
    expect(loadError(text).location).toMatchObject({ line: 3, field: 'rules[1].id' });
  });
});

describe('mergePolicies', () => {
  const fleet = loadPolicy(FLEET_POLICY, 'fleet/policy.yaml');
  const campaign = loadPolicy(
    [
      'onBlock: fail',
      'checks:',
      '  secrets: false',
      '  diff-size:',
      '    warn: { files: 100 }',
      'rules:',
      '  - { id: touches-migrations, when: "false", severity: info, message: off }',
      '  - { id: campaign-rule, when: "campaign.name == \'x\'", severity: info, message: x }',
    ].join('\n'),
    'campaigns/x/policy.yaml',
  );
  const merged = mergePolicies(fleet, campaign);

  it('replaces onBlock, switches checks off and merges params key by key', () => {
    expect(merged.onBlock).toBe('fail');
    expect(merged.checks.secrets).toBe(false);
    expect(merged.checks['diff-size']).toEqual({ warn: { files: 100 }, block: { files: 200, lines: 5000 } });
    expect(merged.checks.licenses).toEqual(fleet.checks.licenses);
    expect(merged.files).toEqual(['fleet/policy.yaml', 'campaigns/x/policy.yaml']);
  });

  it('replaces a rule by id and adds new ones after', () => {
    expect(merged.rules.map((rule) => [rule.id, rule.source.file])).toEqual([
      ['major-on-critical', 'fleet/policy.yaml'],
      ['touches-migrations', 'campaigns/x/policy.yaml'],
      ['campaign-rule', 'campaigns/x/policy.yaml'],
    ]);
  });
});

describe('evaluatePolicy', () => {
  const policy = loadPolicy(FLEET_POLICY, 'policy.yaml');
  const diff = gitDiff([
    { path: 'src/server.ts', removed: ['app.listen(3000);'], added: ['app.listen(port);'], startLine: 40 },
    { path: 'db/migrations/0042_add_index.sql', added: ['CREATE INDEX orders_created_at ON orders (created_at);'] },
  ]);

  it('passes with warnings when nothing blocks', () => {
    const facts = makeFacts({ diff, target: { tier: 2 }, dependencies: [dependency('express', '5.0.1', { kind: 'major', licence: 'MIT' })] });
    const result = evaluatePolicy(policy, facts, {});
    expect(result.verdict).toBe('pass');
    expect(result.onBlock).toBe('needs-human');
    expect(result.findings).toEqual([
      { check: 'rules', rule: 'touches-migrations', severity: 'warn', reason: 'rule:touches-migrations', message: 'a database migration changed (2 files in all)' },
    ]);
    expect(result.counts).toEqual({ block: 0, warn: 1, info: 0 });
  });

  it('blocks on any blocking finding, from checks and from rules, checks first', () => {
    const secret = ['gh', 'p_', fakeChars(36, ALNUM, 7)].join('');
    const facts = makeFacts({
      diff: diff + gitDiff([{ path: 'ci/env.sh', added: [`export GH_TOKEN=${secret}`] }]),
      target: { tier: 0 },
      dependencies: [dependency('express', '5.0.1', { kind: 'major', licence: 'MIT' }), dependency('event-stream', '3.3.6', { licence: 'MIT' })],
    });
    const result = evaluatePolicy(policy, facts, {});
    expect(result.verdict).toBe('block');
    expect(result.findings.map((finding) => [finding.check, finding.reason, finding.severity])).toEqual([
      ['denied-versions', 'denied-version:event-stream', 'block'],
      ['secrets', 'secret:github-token', 'block'],
      ['rules', 'rule:major-on-critical', 'block'],
      ['rules', 'rule:touches-migrations', 'warn'],
    ]);
    expect(result.findings[2]?.message).toBe('major upgrade of express on tier 0');
    expect(result.counts).toEqual({ block: 3, warn: 1, info: 0 });
  });

  it('turns a rule that fails at run time into a blocking error finding', () => {
    const risky = loadPolicy('rules:\n  - { id: tier, when: "target.tier < 2", severity: info, message: low tier }\n  - { id: first, when: "files[0].added > 0", severity: info, message: x }\n', 'p.yaml');
    const result = evaluatePolicy(risky, makeFacts({ target: { tier: undefined } }), {});
    expect(result.verdict).toBe('block');
    expect(result.findings).toEqual([
      { check: 'rules', rule: 'tier', severity: 'block', reason: 'error', message: 'rule "tier" could not be evaluated: No such key: tier' },
      expect.objectContaining({ rule: 'first', severity: 'block', reason: 'error' }),
    ]);
  });

  it('turns a check that throws into a blocking error finding', () => {
    const broken = { files: ['p.yaml'], checks: { 'diff-size': { warn: 'lots' } }, rules: [] };
    const result = evaluatePolicy(broken, makeFacts({}), {});
    expect(result.findings).toEqual([expect.objectContaining({ check: 'diff-size', severity: 'block', reason: 'error' })]);
  });

  it('is pure: the same facts give the same verdict, whatever the clock says', () => {
    const facts = makeFacts({ diff, now: '2025-06-06T15:00:00Z' });
    const first = evaluatePolicy(policy, facts, {});
    expect(first.findings.map((finding) => finding.reason)).toContain('freeze-window');
    expect(evaluatePolicy(policy, facts, {})).toEqual(first);
  });
});
