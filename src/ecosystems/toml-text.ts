/**
 * Finds every string value of a TOML text with its full key path and its exact position, so a bump can
 * rewrite one version inside `libs.versions.toml` or `pyproject.toml` and leave comments, alignment and
 * key order alone. Parse the text with smol-toml first: this scanner trusts the text to be valid TOML.
 *
 * Paths are keys from the root; array items are numbered; an array of tables (`[[a]]`) adds its index.
 */

export interface TomlString {
  path: (string | number)[];
  /** The decoded value (escapes of basic strings resolved). */
  value: string;
  /** Where the characters between the quotes are. */
  contentStart: number;
  contentEnd: number;
  /** True when the raw text differs from the value (escapes): edits inside it are refused. */
  escaped: boolean;
}

export function tomlStrings(text: string): TomlString[] {
  return new TomlScanner(text).scan();
}

/** The string at exactly `path`, compared key by key. */
export function findTomlString(strings: readonly TomlString[], path: readonly (string | number)[]): TomlString | undefined {
  return strings.find((item) => item.path.length === path.length && item.path.every((key, index) => key === path[index]));
}

class TomlScanner {
  private index = 0;
  private readonly strings: TomlString[] = [];
  private readonly arrayTables = new Map<string, number>();

  constructor(private readonly text: string) {}

  scan(): TomlString[] {
    let table: (string | number)[] = [];
    while (this.index < this.text.length) {
      this.skipBlank(true);
      if (this.index >= this.text.length) break;
      if (this.text[this.index] === '[') {
        const isArray = this.text[this.index + 1] === '[';
        this.index += isArray ? 2 : 1;
        const keys = this.key();
        this.index = this.text.indexOf(isArray ? ']]' : ']', this.index) + (isArray ? 2 : 1);
        if (isArray) {
          const id = JSON.stringify(keys);
          const next = this.arrayTables.get(id) ?? 0;
          this.arrayTables.set(id, next + 1);
          table = [...keys, next];
        } else {
          table = keys;
        }
        continue;
      }
      const keys = this.key();
      this.skipBlank(false);
      this.index++; // =
      this.skipBlank(false);
      this.value([...table, ...keys]);
    }
    return this.strings;
  }

  /** Skips spaces and comments, and newlines when `lines` is true. */
  private skipBlank(lines: boolean): void {
    while (this.index < this.text.length) {
      const char = this.text[this.index];
      if (char === ' ' || char === '\t' || (lines && (char === '\n' || char === '\r'))) this.index++;
      else if (char === '#') while (this.index < this.text.length && this.text[this.index] !== '\n') this.index++;
      else return;
    }
  }

  private key(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipBlank(false);
      const char = this.text[this.index];
      if (char === '"' || char === "'") {
        keys.push(this.string(undefined));
      } else {
        const start = this.index;
        while (this.index < this.text.length && /[A-Za-z0-9_-]/.test(this.text[this.index] ?? '')) this.index++;
        keys.push(this.text.slice(start, this.index));
      }
      this.skipBlank(false);
      if (this.text[this.index] !== '.') return keys;
      this.index++;
    }
  }

  private value(path: (string | number)[]): void {
    const char = this.text[this.index];
    if (char === '"' || char === "'") {
      this.string(path);
    } else if (char === '{') {
      this.index++;
      for (;;) {
        this.skipBlank(true);
        if (this.text[this.index] === '}' || this.index >= this.text.length) break;
        const keys = this.key();
        this.skipBlank(false);
        this.index++; // =
        this.skipBlank(false);
        this.value([...path, ...keys]);
        this.skipBlank(true);
        if (this.text[this.index] === ',') this.index++;
      }
      this.index++; // }
    } else if (char === '[') {
      this.index++;
      for (let item = 0; ; item++) {
        this.skipBlank(true);
        if (this.text[this.index] === ']' || this.index >= this.text.length) break;
        this.value([...path, item]);
        this.skipBlank(true);
        if (this.text[this.index] === ',') this.index++;
      }
      this.index++; // ]
    } else {
      while (this.index < this.text.length && !/[,\]}\n#]/.test(this.text[this.index] ?? '')) this.index++;
    }
  }

  /** Scans a string token; records it when `path` is given; returns its decoded value. */
  private string(path: (string | number)[] | undefined): string {
    const quote = this.text[this.index] ?? '"';
    const triple = this.text.startsWith(quote.repeat(3), this.index);
    const open = triple ? 3 : 1;
    const contentStart = this.index + open;
    let position = contentStart;
    const closer = triple ? quote.repeat(3) : quote;
    while (position < this.text.length && !this.text.startsWith(closer, position)) {
      position += quote === '"' && this.text[position] === '\\' ? 2 : 1;
    }
    // A multi-line string may end with up to two quotes of its own before the closing three.
    while (triple && this.text[position + 3] === quote) position++;
    const raw = this.text.slice(contentStart, position);
    this.index = position + closer.length;
    // TOML drops a newline right after the opening quotes of a multi-line string.
    const trimmed = triple ? raw.replace(/^\r?\n/, '') : raw;
    const value = quote === '"' && trimmed.includes('\\') ? decodeBasic(trimmed) : trimmed;
    const escaped = value !== raw;
    if (path) this.strings.push({ path, value, contentStart, contentEnd: position, escaped });
    return value;
  }
}

function decodeBasic(raw: string): string {
  try {
    return JSON.parse(`"${raw.replace(/\\U([0-9A-Fa-f]{8})/g, (_all, hex: string) => String.fromCodePoint(parseInt(hex, 16)).replace(/"/g, '\\"'))}"`) as string;
  } catch {
    return raw;
  }
}
