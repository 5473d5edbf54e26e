/**
 * Finds where a value sits in a JSON text, so a step can change one string and leave every other byte
 * of the file (indentation, key order, line endings, final newline) exactly as the team wrote it.
 * Re-serialising would normalise formatting and turn a one-line bump into a noisy diff.
 *
 * The text must already be valid JSON (check with `JSON.parse` first): the scanner trusts its shape.
 */

/** The quoted string token of a value: `text.slice(start, end)` is `"^4.3.4"`. */
export interface TextSpan {
  start: number;
  end: number;
}

/**
 * The span of the string value at `path` (object keys from the root), or undefined when there is no
 * string there. With duplicate keys the last one wins, as it does for `JSON.parse`.
 */
export function findStringValue(text: string, path: readonly string[]): TextSpan | undefined {
  const scanner = new Scanner(text);
  scanner.skipSpace();
  return scanner.value(path);
}

/** Replaces the string value at `path` with `value`, or returns undefined when it is not there. */
export function replaceStringValue(text: string, path: readonly string[], value: string): string | undefined {
  const span = findStringValue(text, path);
  if (!span) return undefined;
  return text.slice(0, span.start) + JSON.stringify(value) + text.slice(span.end);
}

class Scanner {
  private index = 0;

  constructor(private readonly text: string) {
    if (text.startsWith('\uFEFF')) this.index = 1;
  }

  /** Scans one value; `path` is what is left to match below it (undefined once off the path). */
  value(path: readonly string[] | undefined): TextSpan | undefined {
    const char = this.text[this.index];
    if (char === '{') return this.object(path);
    if (char === '[') {
      this.array();
      return undefined;
    }
    if (char === '"') {
      const span = this.string();
      return path?.length === 0 ? span : undefined;
    }
    while (this.index < this.text.length && !/[\s,\]}]/.test(this.text[this.index] ?? '')) this.index++;
    return undefined;
  }

  skipSpace(): void {
    while (/\s/.test(this.text[this.index] ?? '')) this.index++;
  }

  private object(path: readonly string[] | undefined): TextSpan | undefined {
    let found: TextSpan | undefined;
    this.index++; // {
    this.skipSpace();
    while (this.text[this.index] === '"') {
      const keySpan = this.string();
      const key = JSON.parse(this.text.slice(keySpan.start, keySpan.end)) as string;
      this.skipSpace();
      this.index++; // :
      this.skipSpace();
      const below = path !== undefined && path.length > 0 && path[0] === key ? path.slice(1) : undefined;
      found = this.value(below) ?? found;
      this.skipSpace();
      if (this.text[this.index] === ',') this.index++;
      this.skipSpace();
    }
    this.index++; // }
    return found;
  }

  private array(): void {
    this.index++; // [
    this.skipSpace();
    while (this.index < this.text.length && this.text[this.index] !== ']') {
      this.value(undefined);
      this.skipSpace();
      if (this.text[this.index] === ',') this.index++;
      this.skipSpace();
    }
    this.index++; // ]
  }

  private string(): TextSpan {
    const start = this.index;
    this.index++; // opening quote
    while (this.index < this.text.length && this.text[this.index] !== '"') {
      this.index += this.text[this.index] === '\\' ? 2 : 1;
    }
    this.index++; // closing quote
    return { start, end: this.index };
  }
}
