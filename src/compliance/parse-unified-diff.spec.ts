import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff, unquote } from './parse-unified-diff.js';

/** `git diff --unified=0 -M` output for a change that adds, deletes, renames, edits a binary and more. */
const GIT_DIFF = [
  'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
  'new file mode 100644',
  'index 0000000..5a21a8b',
  '--- /dev/null',
  '+++ "b/caf\\303\\251.txt"',
  '@@ -0,0 +1,2 @@',
  '+hello',
  '++++ not a header',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  'index b77b4eb..0000000',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-x',
  '-y',
  'diff --git a/img.bin b/img.bin',
  'index 88768ef..3e3315e 100644',
  'Binary files a/img.bin and b/img.bin differ',
  'diff --git a/keep.txt b/keep.txt',
  'index de98044..a7bc997 100644',
  '--- a/keep.txt',
  '+++ b/keep.txt',
  '@@ -2 +2 @@ a',
  '-b',
  '+B',
  '@@ -3,0 +4 @@ c',
  '+d',
  'diff --git a/old-name.md b/new-name.md',
  'similarity index 79%',
  'rename from old-name.md',
  'rename to new-name.md',
  'index f384549..b2f931a 100644',
  '--- a/old-name.md',
  '+++ b/new-name.md',
  '@@ -4,0 +5 @@ four',
  '+five',
  'diff --git a/q.sql b/q.sql',
  'index af08487..e0ac49d 100644',
  '--- a/q.sql',
  '+++ b/q.sql',
  '@@ -2 +1,0 @@ SELECT 1;',
  '--- comment',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(GIT_DIFF);
  const byPath = new Map(files.map((file) => [file.path, file]));

  it('finds every file in order', () => {
    expect(files.map((file) => file.path)).toEqual(['café.txt', 'gone.txt', 'img.bin', 'keep.txt', 'new-name.md', 'q.sql']);
  });

  it.each([
    ['café.txt', 'added', 2, 0],
    ['gone.txt', 'deleted', 0, 2],
    ['img.bin', 'modified', 0, 0],
    ['keep.txt', 'modified', 2, 1],
    ['new-name.md', 'renamed', 1, 0],
    ['q.sql', 'modified', 0, 1],
  ] as const)('%s is %s with +%i -%i', (path, status, added, removed) => {
    const file = byPath.get(path);
    expect(file).toMatchObject({ status, added, removed });
  });

  it('reads hunk bodies by their counts, so content that looks like a header stays content', () => {
    expect(byPath.get('café.txt')?.hunks[0]?.added).toEqual([
      { line: 1, text: 'hello' },
      { line: 2, text: '+++ not a header' },
    ]);
    // "-- comment" removed reads as "--- comment" and must not start a file.
    expect(byPath.get('q.sql')?.hunks).toHaveLength(1);
  });

  it('numbers added lines in the new file', () => {
    const keep = byPath.get('keep.txt');
    expect(keep?.hunks.map((hunk) => [hunk.oldStart, hunk.oldLines, hunk.newStart, hunk.newLines])).toEqual([
      [2, 1, 2, 1],
      [3, 0, 4, 1],
    ]);
    expect(keep?.hunks.flatMap((hunk) => hunk.added)).toEqual([
      { line: 2, text: 'B' },
      { line: 4, text: 'd' },
    ]);
  });

  it('keeps the previous path of a rename and marks binaries', () => {
    expect(byPath.get('new-name.md')?.previousPath).toBe('old-name.md');
    expect(byPath.get('img.bin')).toMatchObject({ binary: true, hunks: [] });
    expect(byPath.get('keep.txt')?.previousPath).toBeUndefined();
  });

  it('counts context lines in diffs with context, and handles CRLF and "no newline" markers', () => {
    const text = [
      'diff --git a/app.js b/app.js',
      '--- a/app.js',
      '+++ b/app.js',
      '@@ -10,4 +10,5 @@ function main() {',
      '   const a = 1;\r',
      '-  const b = 2;\r',
      '+  const b = 3;\r',
      '+  const c = 4;\r',
      '   return a;',
      ' }',
      '\\ No newline at end of file',
    ].join('\n');
    const [file] = parseUnifiedDiff(text);
    expect(file?.hunks[0]?.added).toEqual([
      { line: 11, text: '  const b = 3;' },
      { line: 12, text: '  const c = 4;' },
    ]);
    expect(file).toMatchObject({ added: 2, removed: 1, status: 'modified' });
  });

  it('reads a plain diff -u without git headers, one file per ---/+++ pair', () => {
    const text = [
      '--- a/one.txt\t2025-01-01 10:00:00.000000000 +0100',
      '+++ b/one.txt\t2025-01-02 10:00:00.000000000 +0100',
      '@@ -1 +1 @@',
      '-old',
      '+new',
      '--- a/two.txt',
      '+++ b/two.txt',
      '@@ -0,0 +1 @@',
      '+more',
    ].join('\n');
    expect(parseUnifiedDiff(text).map((file) => [file.path, file.added, file.removed])).toEqual([
      ['one.txt', 1, 1],
      ['two.txt', 1, 0],
    ]);
  });

  it('reads a pure rename and a path with spaces', () => {
    const text = [
      'diff --git a/docs/old guide.md b/docs/new guide.md',
      'similarity index 100%',
      'rename from docs/old guide.md',
      'rename to docs/new guide.md',
      'diff --git a/my file.txt b/my file.txt',
      '--- a/my file.txt\t',
      '+++ b/my file.txt\t',
      '@@ -1 +1 @@',
      '-a',
      '+b',
    ].join('\n');
    expect(parseUnifiedDiff(text)).toMatchObject([
      { path: 'docs/new guide.md', previousPath: 'docs/old guide.md', status: 'renamed', added: 0, removed: 0 },
      { path: 'my file.txt', status: 'modified', added: 1, removed: 1 },
    ]);
  });

  it('gives nothing for empty text', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
  });
});

describe('unquote', () => {
  it.each([
    ['"caf\\303\\251.txt"', 'café.txt'],
    ['"tab\\there"', 'tab\there'],
    ['"quote\\"d"', 'quote"d'],
    ['plain.txt', 'plain.txt'],
  ])('%s → %s', (quoted, plain) => {
    expect(unquote(quoted)).toBe(plain);
  });
});
