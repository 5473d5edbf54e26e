/**
 * Where a JSON text stops being JSON.
 *
 * Why: Node's `JSON.parse` messages carry a position only sometimes ("... is not valid JSON" has none),
 * and a user editing a canary config needs the line and column. This is a small recursive-descent
 * checker, run only after `JSON.parse` has failed; it returns the offset of the first character that
 * cannot continue a valid document.
 */

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class SyntaxStop extends Error {
  constructor(readonly offset: number) {
    super(`JSON stops at ${offset}`);
  }
}

/** Offset (0-based) of the first JSON syntax error in `text`, or undefined when it is valid JSON. */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const skip = (): void => {
    while (at < text.length && WHITESPACE.has(text[at]!)) at++;
  };
  const expect = (char: string): void => {
    if (text[at] !== char) throw new SyntaxStop(at);
    at++;
  };
  const string = (): void => {
    expect('"');
    for (;;) {
      if (at >= text.length) throw new SyntaxStop(at);
      const code = text.charCodeAt(at);
      if (code === 0x22) return void at++; // closing quote
      if (code < 0x20) throw new SyntaxStop(at); // raw control characters must be escaped
      if (code === 0x5c) {
        const next = text[at + 1];
        if (next === 'u' && HEX4.test(text.slice(at + 2, at + 6))) at += 6;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) at += 2;
        else throw new SyntaxStop(at);
        continue;
      }
      at++;
    }
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      skip();
      if (text[at] === '}') return void at++;
      for (;;) {
        skip();
        string();
        skip();
        expect(':');
        value();
        skip();
        if (text[at] === ',') at++;
        else return expect('}');
      }
    }
    if (char === '[') {
      at++;
      skip();
      if (text[at] === ']') return void at++;
      for (;;) {
        value();
        skip();
        if (text[at] === ',') at++;
        else return expect(']');
      }
    }
    if (char === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, at)) return void (at += literal.length);
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (!match) throw new SyntaxStop(at);
    at = NUMBER.lastIndex;
  };
  try {
    value();
    skip();
    return at < text.length ? at : undefined;
  } catch (error) {
    if (error instanceof SyntaxStop) return error.offset;
    throw error;
  }
}
