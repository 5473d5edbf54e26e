import type { ParsedTests } from './parsed-tests.js';

const TESTCASE = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase\s*>)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Reads a JUnit XML report (Maven Surefire, Gradle, Jest/Vitest/pytest junit reporters): one test per
 * `<testcase>`, failed when it holds `<failure>` or `<error>`, skipped with `<skipped>`. A regular
 * expression, not an XML parser: reports are machine-written and flat, and a report it cannot read only
 * means the counts come from elsewhere. Undefined when the text holds no test case.
 */
export function parseJunit(xml: string): ParsedTests | undefined {
  let total = 0;
  let failed = 0;
  let skipped = 0;
  const failures: string[] = [];
  for (const match of xml.matchAll(TESTCASE)) {
    total += 1;
    const attributes = attributesOf(match[1] ?? '');
    const body = match[3] ?? '';
    if (/<(failure|error)\b/.test(body)) {
      failed += 1;
      const name = attributes.name ?? `test ${total}`;
      failures.push(attributes.classname ? `${attributes.classname} > ${name}` : name);
    } else if (/<skipped\b/.test(body)) {
      skipped += 1;
    }
  }
  if (total === 0) return undefined;
  return { format: 'junit', total, passed: total - failed - skipped, failed, skipped, failures: [...new Set(failures)] };
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(ATTRIBUTE)) {
    if (match[1]) attributes[match[1]] = decode(match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&');
}
