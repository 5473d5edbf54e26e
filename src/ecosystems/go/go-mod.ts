/**
 * The directives of a go.mod that a bump needs — `require` and `replace`, single-line or in a block —
 * with the position of every version, read line by line as the go tool itself does.
 */

export interface GoRequire {
  path: string;
  version: string;
  /** Offsets of the version in the file. */
  start: number;
  end: number;
  line: number;
}

export interface GoReplace {
  /** The replaced module path (and version, when only one version is replaced). */
  path: string;
  version: string | undefined;
  replacement: string;
  line: number;
}

export interface GoMod {
  requires: GoRequire[];
  replaces: GoReplace[];
}

interface Token {
  text: string;
  start: number;
}

export function readGoMod(text: string): GoMod {
  const mod: GoMod = { requires: [], replaces: [] };
  let block: string | undefined;
  let offset = 0;
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const tokens = tokenize(raw, offset);
    offset += raw.length + 1;
    const first = tokens[0]?.text;
    if (first === undefined) continue;
    if (block !== undefined) {
      if (first === ')') block = undefined;
      else addDirective(mod, block, tokens, line);
      continue;
    }
    if (tokens[1]?.text === '(') {
      block = first;
      continue;
    }
    addDirective(mod, first, tokens.slice(1), line);
  }
  return mod;
}

function addDirective(mod: GoMod, verb: string, tokens: Token[], line: number): void {
  const [path, version] = tokens;
  if (!path) return;
  if (verb === 'require' && version) {
    mod.requires.push({ path: unquote(path.text), version: version.text, start: version.start, end: version.start + version.text.length, line });
  } else if (verb === 'replace') {
    const arrow = tokens.findIndex((token) => token.text === '=>');
    if (arrow === -1) return;
    const replacement = tokens.slice(arrow + 1).map((token) => token.text).join(' ');
    mod.replaces.push({ path: unquote(path.text), version: arrow === 2 ? version?.text : undefined, replacement, line });
  }
}

/** The tokens of a line (comments dropped) with their offsets; quoted strings are one token. */
function tokenize(raw: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < raw.length) {
    const char = raw[index] ?? '';
    if (/\s/.test(char)) {
      index++;
    } else if (raw.startsWith('//', index)) {
      break;
    } else if (char === '"' || char === '`') {
      const end = raw.indexOf(char, index + 1);
      const stop = end === -1 ? raw.length : end + 1;
      tokens.push({ text: raw.slice(index, stop), start: offset + index });
      index = stop;
    } else if (char === '(' || char === ')') {
      tokens.push({ text: char, start: offset + index });
      index++;
    } else {
      const start = index;
      while (index < raw.length && !/[\s()]/.test(raw[index] ?? '') && !raw.startsWith('//', index)) index++;
      tokens.push({ text: raw.slice(start, index), start: offset + start });
    }
  }
  return tokens;
}

function unquote(text: string): string {
  return /^["`].*["`]$/.test(text) ? text.slice(1, -1) : text;
}
