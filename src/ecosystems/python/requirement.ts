/**
 * PEP 508 requirement strings (`requests[socks]>=2.31.0,<3; python_version >= "3.8"`) read with the
 * position of every version, so a bump can rewrite one number inside a requirements.txt line or a
 * pyproject.toml string.
 */

export interface Specifier {
  operator: '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';
  version: string;
  /** Offsets of the version inside the parsed text. */
  start: number;
  end: number;
}

export interface Requirement {
  name: string;
  /** PEP 503 normalised: lowercase, runs of `-_.` as one `-`. */
  normalized: string;
  specifiers: Specifier[];
  /** A direct reference (`name @ https://…`): there is no version to move. */
  url: boolean;
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const SPECIFIER = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;)]+)\s*/;

/** Parses a requirement starting at `offset` of `text` (offsets in the result are in `text`). */
export function parseRequirement(text: string, offset = 0): Requirement | undefined {
  const source = text.slice(offset);
  const name = NAME.exec(source);
  if (!name?.[1]) return undefined;
  let position = name[0].length;
  const requirement: Requirement = { name: name[1], normalized: normalizeName(name[1]), specifiers: [], url: false };
  if (source[position] === '@') return { ...requirement, url: true };
  const parenthesised = source[position] === '(';
  if (parenthesised) position++;
  for (;;) {
    const match = SPECIFIER.exec(source.slice(position));
    if (!match?.[1] || !match[2]) break;
    const versionAt = position + match[0].indexOf(match[2], match[1].length);
    requirement.specifiers.push({
      operator: match[1] as Specifier['operator'],
      version: match[2],
      start: offset + versionAt,
      end: offset + versionAt + match[2].length,
    });
    position += match[0].length;
    if (source[position] !== ',') break;
    position++;
  }
  return requirement;
}
