import picomatch from 'picomatch';

/**
 * CODEOWNERS with GitHub's semantics: gitignore-style patterns, one per line with its owners; the LAST
 * matching line wins; a line with a pattern and no owners leaves the matching paths without owners.
 * Not supported by GitHub and so not here either: `!` negation and `[ ]` character ranges (such lines
 * are ignored).
 */
export interface CodeownersRule {
  pattern: string;
  owners: string[];
  line: number;
  matches: (path: string) => boolean;
}

export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const content = stripComment(lines[index] ?? '').trim();
    if (content === '') continue;
    const [pattern, ...owners] = splitUnescaped(content);
    if (pattern === undefined || pattern.startsWith('!') || /(?<!\\)\[/.test(pattern)) continue;
    rules.push({ pattern, owners, line: index + 1, matches: patternMatcher(pattern) });
  }
  return rules;
}

/** The rule that decides a path's owners (the last one that matches), if any. */
export function ownersOf(rules: readonly CodeownersRule[], path: string): CodeownersRule | undefined {
  for (let index = rules.length - 1; index >= 0; index -= 1) {
    const rule = rules[index];
    if (rule?.matches(path)) return rule;
  }
  return undefined;
}

function stripComment(line: string): string {
  for (let index = 0; index < line.length; index += 1) {
    if (line[index] === '\\') index += 1;
    else if (line[index] === '#') return line.slice(0, index);
  }
  return line;
}

/** Splits on whitespace not escaped with a backslash (`docs/my\ file.md @team`). */
function splitUnescaped(content: string): string[] {
  const parts = content.split(/(?<!\\)\s+/).filter((part) => part !== '');
  return parts.map((part) => part.replace(/\\(.)/g, '$1'));
}

/**
 * gitignore rules as GitHub applies them: a pattern with a slash at the start or in the middle is
 * anchored at the root, otherwise it matches at any depth; a trailing slash matches only directories
 * (that is, everything below them); a pattern that names a directory owns everything below it,
 * except `dir/*`, which owns only the files directly in `dir`.
 */
function patternMatcher(raw: string): (path: string) => boolean {
  let pattern = raw;
  const directoryOnly = pattern.endsWith('/');
  if (directoryOnly) pattern = pattern.replace(/\/+$/, '');
  const anchored = pattern.startsWith('/') || pattern.includes('/');
  pattern = pattern.replace(/^\/+/, '');
  if (pattern === '' || pattern === '**') return () => true;
  const base = anchored || pattern.startsWith('**/') ? pattern : `**/${pattern}`;
  // `docs/*` owns the files directly in docs/, not the ones in its subfolders (GitHub's own example).
  const directChildren = base.endsWith('/*') || base === '*';
  const globs = directoryOnly ? [`${base}/**`] : directChildren ? [base] : [base, `${base}/**`];
  return picomatch(globs, { dot: true });
}
