/**
 * The string literals of a Gradle build script (Groovy or Kotlin DSL) with their positions, skipping
 * comments, so a dependency written in a comment is never "bumped". Handles '…', "…", '''…''' and
 * """…"""; Groovy's slashy strings are not recognised (they are regexes, never coordinates).
 */

export interface ScriptString {
  value: string;
  /** Where the characters between the quotes are. */
  contentStart: number;
  contentEnd: number;
  /** Offset of the opening quote. */
  start: number;
}

export function scriptStrings(text: string): ScriptString[] {
  const strings: ScriptString[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '/' && text[index + 1] === '/') {
      const end = text.indexOf('\n', index);
      index = end === -1 ? text.length : end;
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 2;
    } else if (char === '"' || char === "'") {
      const triple = text.startsWith(char.repeat(3), index);
      const closer = triple ? char.repeat(3) : char;
      const contentStart = index + closer.length;
      let position = contentStart;
      while (position < text.length && !text.startsWith(closer, position) && (triple || text[position] !== '\n')) {
        position += text[position] === '\\' ? 2 : 1;
      }
      strings.push({ value: text.slice(contentStart, position), contentStart, contentEnd: position, start: index });
      index = position + closer.length;
    } else {
      index++;
    }
  }
  return strings;
}
