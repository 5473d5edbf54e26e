import picomatch from 'picomatch';
import { z } from 'zod';
import { defineCheck, severityParam, type Finding, type Severity } from '../check.js';
import {
  INTEGRITY_HASH,
  NOT_A_SECRET_NAME,
  SECRET_NAME,
  SECRET_PATTERNS,
  UUID,
  isBase64Text,
  isPlaceholder,
  maskSecret,
  shannonEntropy,
} from './secret-patterns.js';

const params = z.strictObject({
  severity: severityParam('block'),
  /** High-entropy values assigned to a name that looks like a secret (`api_key = "…"`). */
  entropy: z
    .strictObject({
      enabled: z.boolean().default(true),
      minLength: z.number().int().min(8).default(16),
      /** Bits per character above which a value of letters, digits and symbols is a secret. */
      base64: z.number().min(1).max(6).default(4),
      /** Bits per character above which a hexadecimal value is a secret. */
      hex: z.number().min(1).max(4).default(3),
    })
    .prefault({}),
  /** Globs of files not scanned (fixtures the team vouches for). */
  ignorePaths: z.array(z.string().min(1)).default([]),
});

type SecretsParams = z.output<typeof params>;

/** Quoted values: `name = "value"`, `"name": "value"`, `name: 'value'`, `name := "value"`, `name => 'value'`. */
const QUOTED_ASSIGNMENT = /([A-Za-z_$][\w.$-]*)["'\]]{0,2}\s*(?::=|=>|=|:)\s*[rbuf]?(["'`])([^"'`\s\\]+)\2/dgi;
/** Unquoted values on their own line: `.env`, YAML, properties (`API_KEY=value`, `token: value`). */
const BARE_ASSIGNMENT = /^\s*(?:export\s+|-\s+)?([A-Za-z_][\w.-]*)\s*[:=]\s*([^\s"'`#,;]+)\s*$/d;

export const secretsCheck = defineCheck({
  id: 'secrets',
  description:
    'Credentials in added lines: well-known token formats (AWS, GitHub, GitLab, Slack, Stripe, Google, npm, ' +
    'JWT, Twilio, SendGrid, private keys, passwords in URLs) and high-entropy values assigned to secret-like names.',
  params,
  evaluate(facts, options) {
    const ignored = options.ignorePaths.length > 0 ? picomatch(options.ignorePaths, { dot: true }) : () => false;
    const findings: Finding[] = [];
    for (const file of facts.files) {
      if (file.binary || ignored(file.path)) continue;
      for (const hunk of file.hunks) {
        for (const added of hunk.added) {
          scanLine(added.text, file.path, added.line, options, findings);
        }
      }
    }
    return findings;
  },
});

function scanLine(raw: string, file: string, line: number, options: SecretsParams, findings: Finding[]): void {
  const text = raw.includes('sha') ? raw.replace(INTEGRITY_HASH, (hash) => ' '.repeat(hash.length)) : raw;
  const taken: Array<[number, number]> = [];
  let lower: string | undefined;
  for (const pattern of SECRET_PATTERNS) {
    const haystack = pattern.caseInsensitive ? (lower ??= text.toLowerCase()) : text;
    if (!pattern.keywords.some((keyword) => haystack.includes(keyword))) continue;
    pattern.regex.lastIndex = 0;
    for (const match of text.matchAll(pattern.regex)) {
      const secret = match[pattern.group ?? 0] ?? match[0];
      if (pattern.ignore?.(secret)) continue;
      taken.push([match.index, match.index + match[0].length]);
      findings.push(finding(options.severity, pattern.reason, `${pattern.label} in an added line: ${maskSecret(secret)}`, file, line));
    }
  }
  if (!options.entropy.enabled || !SECRET_NAME.test(text)) return;
  for (const [name, value, start] of assignments(text)) {
    if (taken.some(([from, to]) => start < to && start + value.length > from)) continue;
    if (!looksLikeSecretName(name) || !isHighEntropySecret(value, options)) continue;
    taken.push([start, start + value.length]);
    findings.push(
      finding(options.severity, 'secret:high-entropy', `high-entropy value assigned to ${name}: ${maskSecret(value)}`, file, line),
    );
  }
}

/** Every `[name, value, value's index]` assigned in a line. */
function assignments(text: string): Array<[string, string, number]> {
  const result: Array<[string, string, number]> = [];
  for (const match of text.matchAll(QUOTED_ASSIGNMENT)) {
    const name = match[1];
    const value = match[3];
    const start = match.indices?.[3]?.[0];
    if (name !== undefined && value !== undefined && start !== undefined) result.push([name, value, start]);
  }
  const bare = BARE_ASSIGNMENT.exec(text);
  const name = bare?.[1];
  const value = bare?.[2];
  const start = bare?.indices?.[2]?.[0];
  if (name !== undefined && value !== undefined && start !== undefined) result.push([name, value, start]);
  return result;
}

function looksLikeSecretName(name: string): boolean {
  const last = name.split('.').pop() ?? name;
  return SECRET_NAME.test(last) && !NOT_A_SECRET_NAME.test(last);
}

/** Long enough, random enough, and none of the look-alikes (placeholders, UUIDs, hashes, text in base64). */
export function isHighEntropySecret(value: string, options: Pick<SecretsParams, 'entropy'>): boolean {
  const { minLength, base64, hex } = options.entropy;
  if (value.length < minLength || isPlaceholder(value) || UUID.test(value)) return false;
  if (/^sha(?:1|256|384|512)-/.test(value) || isBase64Text(value)) return false;
  if (/^[a-z]+(?:[-_][a-z]+)*$/i.test(value)) return false; // words: `my-service-name`, `SOME_CONSTANT`
  const entropy = shannonEntropy(value);
  if (/^[0-9a-f]+$/i.test(value)) return entropy >= hex;
  // A short random string cannot reach the full threshold: scale it to what its length allows.
  return entropy >= Math.min(base64, 0.85 * Math.log2(value.length));
}

function finding(severity: Severity, reason: string, message: string, file: string, line: number): Finding {
  return { check: 'secrets', severity, reason, message, file, line };
}
