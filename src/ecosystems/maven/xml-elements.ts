/**
 * A small XML scanner that keeps positions: enough of XML to find elements of a pom.xml and the exact
 * span of their text, so a bump rewrites one version and nothing else. Comments, CDATA, processing
 * instructions and the DOCTYPE are skipped (their ranges are kept, so a `${property}` in a comment is
 * not mistaken for a use). It trusts the file to be well formed; a pom Maven cannot read is not ours to fix.
 */

export interface XmlElement {
  name: string;
  /** Offset of `<` of the start tag. */
  start: number;
  /** Offset after `>` of the end tag (or of a self-closing tag). */
  end: number;
  /** Between the start tag's `>` and the end tag's `<`. */
  contentStart: number;
  contentEnd: number;
  children: XmlElement[];
  parent: XmlElement | undefined;
}

export interface XmlDocument {
  /** A synthetic element holding the top-level elements. */
  root: XmlElement;
  /** Ranges of comments, CDATA sections, processing instructions and declarations. */
  skipped: { start: number; end: number }[];
}

export function parseXml(text: string): XmlDocument {
  const root: XmlElement = { name: '', start: 0, end: text.length, contentStart: 0, contentEnd: text.length, children: [], parent: undefined };
  const skipped: XmlDocument['skipped'] = [];
  let current = root;
  let index = text.indexOf('<');
  while (index !== -1 && index < text.length) {
    const skip = skipMarkup(text, index);
    if (skip !== undefined) {
      skipped.push({ start: index, end: skip });
      index = text.indexOf('<', skip);
      continue;
    }
    const tagEnd = endOfTag(text, index);
    if (text[index + 1] === '/') {
      const name = text.slice(index + 2, tagEnd - 1).trim();
      let open: XmlElement | undefined = current;
      while (open && open !== root && open.name !== name) open = open.parent;
      if (open && open !== root) {
        open.contentEnd = index;
        open.end = tagEnd;
        current = open.parent ?? root;
      }
    } else {
      const name = /^<([^\s/>]+)/.exec(text.slice(index, tagEnd))?.[1] ?? '';
      const selfClosing = text[tagEnd - 2] === '/';
      const element: XmlElement = { name, start: index, end: tagEnd, contentStart: tagEnd, contentEnd: tagEnd, children: [], parent: current };
      current.children.push(element);
      if (!selfClosing) current = element;
    }
    index = text.indexOf('<', tagEnd);
  }
  return { root, skipped };
}

/** The end of a comment, CDATA, processing instruction or declaration starting at `index`, if it is one. */
function skipMarkup(text: string, index: number): number | undefined {
  const closers: [string, string][] = [
    ['<!--', '-->'],
    ['<![CDATA[', ']]>'],
    ['<?', '?>'],
    ['<!', '>'],
  ];
  for (const [opener, closer] of closers) {
    if (!text.startsWith(opener, index)) continue;
    const end = text.indexOf(closer, index + opener.length);
    return end === -1 ? text.length : end + closer.length;
  }
  return undefined;
}

/** The offset after the `>` that ends the tag at `index`, honouring quoted attribute values. */
function endOfTag(text: string, index: number): number {
  let quote: string | undefined;
  for (let position = index + 1; position < text.length; position++) {
    const char = text[position];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return position + 1;
    }
  }
  return text.length;
}

/** The first child element named `name`. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((item) => item.name === name);
}

/** The trimmed text of a leaf element and its exact span, or undefined when it holds markup. */
export function textSpan(text: string, element: XmlElement): { value: string; start: number; end: number } | undefined {
  if (element.children.length > 0) return undefined;
  const raw = text.slice(element.contentStart, element.contentEnd);
  if (raw.includes('<') || raw.includes('&')) return undefined;
  const leading = raw.length - raw.trimStart().length;
  const value = raw.trim();
  return { value, start: element.contentStart + leading, end: element.contentStart + leading + value.length };
}

/** Every element below `element` (depth first, document order). */
export function* descendants(element: XmlElement): Generator<XmlElement> {
  for (const item of element.children) {
    yield item;
    yield* descendants(item);
  }
}
