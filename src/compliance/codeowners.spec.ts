import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners } from './codeowners.js';

// GitHub's documented example, trimmed.
const CODEOWNERS = `
# These owners will be the default owners for everything in the repo.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most precedence.
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
!negated/ @nobody
`;

describe('CODEOWNERS', () => {
  const rules = parseCodeowners(CODEOWNERS);
  const owners = (path: string) => ownersOf(rules, path)?.owners;

  it.each([
    ['README.md', ['@global-owner1', '@global-owner2']],
    ['src/index.js', ['@js-owner']],
    ['cmd/main.go', ['docs@example.com']],
    ['build/logs/today.log', ['@octocat']],
    ['docs/getting-started.md', ['@doctocat']],
    ['deep/apps/x.txt', ['@octocat']],
    ['scripts/deploy.sh', ['@doctocat', '@octocat']],
    ['deeply/nested/logs/a.txt', ['@octocat']],
    ['apps/github/index.ts', []],
    ['apps/web/index.ts', ['@octocat']],
  ])('%s → %j (the last matching line wins)', (path, expected) => {
    expect(owners(path)).toEqual(expected);
  });

  it('matches dir/* only directly inside the folder', () => {
    const only = parseCodeowners('docs/* @docs-team\n');
    expect(ownersOf(only, 'docs/getting-started.md')?.owners).toEqual(['@docs-team']);
    expect(ownersOf(only, 'docs/build-app/troubleshooting.md')).toBeUndefined();
  });

  it('keeps line numbers and ignores negations, comments and escaped spaces correctly', () => {
    expect(rules.some((rule) => rule.pattern.startsWith('!'))).toBe(false);
    expect(rules[0]?.line).toBe(3);
    const escaped = parseCodeowners('docs/my\\ file.md @writer\n\\#notes.md @notes');
    expect(ownersOf(escaped, 'docs/my file.md')?.owners).toEqual(['@writer']);
    expect(ownersOf(escaped, '#notes.md')?.owners).toEqual(['@notes']);
  });
});
