import type { FileChange, Hunk } from './change-facts.js';

/**
 * Parses unified diff text (git's `diff --git` output, or plain `diff -u`) into one entry per file with
 * its status, line counts and hunks, each hunk with the lines it adds and their new line numbers.
 *
 * Hunk bodies are read by the counts in their `@@` header, so an added line that itself looks like a
 * header (`+diff --git …`, `+++ …`) is never mistaken for one. Binary files have no hunks.
 */
export function parseUnifiedDiff(text: string): FileChange[] {
  const files: FileChange[] = [];
  const lines = text.split('\n');
  let file: FileChange | undefined;
  let hunk: Hunk | undefined;
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;

  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);

    if (hunk && file && (oldLeft > 0 || newLeft > 0)) {
      const marker = line[0];
      if (marker === '+') {
        hunk.added.push({ line: newLine, text: line.slice(1) });
        file.added += 1;
        newLine += 1;
        newLeft -= 1;
        continue;
      }
      if (marker === '-') {
        file.removed += 1;
        oldLeft -= 1;
        continue;
      }
      if (marker === ' ' || line === '') {
        newLine += 1;
        oldLeft -= 1;
        newLeft -= 1;
        continue;
      }
      if (marker === '\\') continue; // "\ No newline at end of file"
      // Anything else means the hunk was shorter than its header said: fall through and read it as a header.
    }
    if (line.startsWith('\\')) continue;
    hunk = undefined;
    oldLeft = 0;
    newLeft = 0;

    if (line.startsWith('diff --git ')) {
      const [oldPath, newPath] = splitGitHeader(line.slice('diff --git '.length));
      file = emptyFile(newPath ?? oldPath ?? '');
      if (oldPath !== undefined && newPath !== undefined && oldPath !== newPath) file.previousPath = oldPath;
      files.push(file);
      continue;
    }
    if (line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ')) {
      const oldPath = diffPath(line.slice(4));
      const newPath = diffPath((lines[index + 1] ?? '').slice(4));
      index += 1;
      if (!file || file.hunks.length > 0 || file.binary) {
        // A plain unified diff without git headers: each ---/+++ pair starts a file.
        file = emptyFile(newPath ?? oldPath ?? '');
        files.push(file);
      }
      if (oldPath === undefined) file.status = 'added';
      if (newPath === undefined) file.status = 'deleted';
      file.path = newPath ?? oldPath ?? file.path;
      if (file.status === 'renamed' && oldPath !== undefined) file.previousPath = oldPath;
      continue;
    }
    if (!file) continue;
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (header) {
      hunk = {
        oldStart: Number(header[1]),
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart: Number(header[3]),
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        added: [],
      };
      file.hunks.push(hunk);
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      newLine = hunk.newStart;
      continue;
    }
    readExtendedHeader(file, line);
  }
  for (const entry of files) {
    if (entry.status !== 'renamed' && entry.previousPath === entry.path) delete entry.previousPath;
    if (entry.status === 'modified' && entry.previousPath !== undefined) entry.status = 'renamed';
  }
  return files;
}

function emptyFile(path: string): FileChange {
  return { path, status: 'modified', added: 0, removed: 0, binary: false, hunks: [] };
}

/** git's extended header lines between `diff --git` and the first hunk. */
function readExtendedHeader(file: FileChange, line: string): void {
  if (line.startsWith('new file mode')) file.status = 'added';
  else if (line.startsWith('deleted file mode')) file.status = 'deleted';
  else if (line.startsWith('rename from ')) {
    file.status = 'renamed';
    file.previousPath = unquote(line.slice('rename from '.length));
  } else if (line.startsWith('rename to ')) {
    file.status = 'renamed';
    file.path = unquote(line.slice('rename to '.length));
  } else if (line.startsWith('copy to ')) {
    // A copy is a new file as far as policy goes.
    file.status = 'added';
    file.path = unquote(line.slice('copy to '.length));
    delete file.previousPath;
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
  }
}

/** The path of a `---`/`+++` line: `undefined` for /dev/null; the `a/`/`b/` prefix and any timestamp removed. */
function diffPath(raw: string): string | undefined {
  let value = raw;
  if (!value.startsWith('"')) {
    const tab = value.indexOf('\t');
    if (tab >= 0) value = value.slice(0, tab);
  }
  value = unquote(value.trimEnd());
  if (value === '/dev/null') return undefined;
  return stripPrefix(value);
}

function stripPrefix(path: string): string {
  return path.startsWith('a/') || path.startsWith('b/') ? path.slice(2) : path;
}

/** Splits `a/old b/new` (either side possibly quoted) into the two paths without their prefixes. */
function splitGitHeader(rest: string): [string | undefined, string | undefined] {
  if (rest.startsWith('"')) {
    const end = closingQuote(rest);
    const first = unquote(rest.slice(0, end + 1));
    return [stripPrefix(first), stripPrefix(unquote(rest.slice(end + 2)))];
  }
  if (rest.endsWith('"')) {
    const start = rest.lastIndexOf(' "');
    return [stripPrefix(rest.slice(0, start)), stripPrefix(unquote(rest.slice(start + 1)))];
  }
  // Unquoted: when old and new are the same path, the line is two equal halves.
  const middle = (rest.length - 1) / 2;
  if (Number.isInteger(middle) && rest[middle] === ' ') {
    const first = rest.slice(0, middle);
    const second = rest.slice(middle + 1);
    if (stripPrefix(first) === stripPrefix(second)) return [stripPrefix(first), stripPrefix(second)];
  }
  const split = rest.indexOf(' b/');
  if (split < 0) return [undefined, undefined];
  return [stripPrefix(rest.slice(0, split)), stripPrefix(rest.slice(split + 1))];
}

function closingQuote(text: string): number {
  for (let index = 1; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '"') return index;
  }
  return text.length - 1;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of unusual paths (`"caf\303\251.txt"` → `café.txt`). */
export function unquote(value: string): string {
  if (!value.startsWith('"') || !value.endsWith('"') || value.length < 2) return value;
  const bytes: number[] = [];
  const body = value.slice(1, -1);
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? '';
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[index + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1, index + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
