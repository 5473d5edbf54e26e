/**
 * Well-known credential formats. Each pattern names the literal `keywords` one of which must occur in a
 * line before its regular expression runs (as gitleaks does), which keeps a scan of a large diff fast.
 * `group` is the capture group holding the secret when it is not the whole match.
 */
export interface SecretPattern {
  reason: string;
  label: string;
  keywords: readonly string[];
  /** Compare keywords with the lower-cased line. */
  caseInsensitive?: boolean;
  regex: RegExp;
  group?: number;
  /** Drop a match that is a template or placeholder rather than a value. */
  ignore?: (secret: string) => boolean;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    reason: 'secret:aws-access-key',
    label: 'AWS access key id',
    keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  },
  {
    reason: 'secret:aws-secret-key',
    label: 'AWS secret access key',
    keywords: ['aws'],
    caseInsensitive: true,
    regex: /aws[\w.-]{0,20}?(?:secret|private)[\w.-]{0,20}?["']?\s*(?::|=|=>|:=)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  {
    reason: 'secret:github-token',
    label: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    regex: /\bgh[pousr]_[A-Za-z0-9]{36}\b/g,
  },
  {
    reason: 'secret:github-fine-grained-token',
    label: 'GitHub fine-grained token',
    keywords: ['github_pat_'],
    regex: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/g,
  },
  {
    reason: 'secret:gitlab-token',
    label: 'GitLab personal access token',
    keywords: ['glpat-'],
    regex: /\bglpat-[A-Za-z0-9_-]{20,}/g,
  },
  {
    reason: 'secret:slack-token',
    label: 'Slack token',
    keywords: ['xox'],
    regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  },
  {
    reason: 'secret:stripe-key',
    label: 'Stripe live key',
    keywords: ['k_live_'],
    regex: /\b[sr]k_live_[A-Za-z0-9]{20,}\b/g,
  },
  {
    reason: 'secret:google-api-key',
    label: 'Google API key',
    keywords: ['AIza'],
    regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    reason: 'secret:private-key',
    label: 'private key',
    keywords: ['PRIVATE KEY'],
    regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    reason: 'secret:npm-token',
    label: 'npm access token',
    keywords: ['npm_'],
    regex: /\bnpm_[A-Za-z0-9]{36}\b/g,
  },
  {
    reason: 'secret:jwt',
    label: 'JSON web token',
    keywords: ['eyJ'],
    regex: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  },
  {
    reason: 'secret:twilio-api-key',
    label: 'Twilio API key',
    keywords: ['SK'],
    regex: /\bSK[0-9a-fA-F]{32}\b/g,
  },
  {
    reason: 'secret:sendgrid-api-key',
    label: 'SendGrid API key',
    keywords: ['SG.'],
    regex: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    reason: 'secret:password-in-url',
    label: 'password in a URL',
    keywords: ['://'],
    regex: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"`]{1,100}:([^\s:@/'"`]{3,200})@[^\s/'"`]+/gi,
    group: 1,
    ignore: isPlaceholder,
  },
];

/** `${VAR}`, `$VAR`, `<password>`, `{{ secret }}`, `%s`, `****`, `xxxx`, `password`, `changeme` … */
export function isPlaceholder(value: string): boolean {
  if (/^\$|\$\{|\{\{|^<.*>$|^%[a-z]$|^%\(|process\.env|^os\.environ/i.test(value)) return true;
  if (/^(.)\1*$/.test(value)) return true;
  return /^(?:pass(?:word|wd)?|secret|token|changeme|example|placeholder|redacted|dummy|your[\w-]*|none|null|undefined)$/i.test(
    value,
  );
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    entropy -= share * Math.log2(share);
  }
  return entropy;
}

/** Names that suggest a secret value (`api_key`, `clientSecret`, `DB_PASSWORD`, `authToken` …). */
export const SECRET_NAME =
  /(?:secret|token|passw(?:or)?d|passwd|pwd|api[_.-]?key|private[_.-]?key|access[_.-]?key|credential|auth[_.-]?key|signing[_.-]?key|encryption[_.-]?key)/i;

/** Names that mention a secret but hold something else (`token_url`, `secret_name`, `password_length`, `commit_sha`). */
export const NOT_A_SECRET_NAME =
  /(?:url|uri|endpoint|path|file|name|type|length|len|ttl|expir\w*|count|size|header|prefix|field|format|sha|commit|rev|revision|hash|digest|checksum|id)$/i;

/** Lockfile integrity hashes (`sha512-…`): blanked out before any pattern runs. */
export const INTEGRITY_HASH = /\bsha(?:1|256|384|512)-[A-Za-z0-9+/]+=*/g;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when the value is base64 that decodes to ordinary text with spaces or line breaks: a test
 * fixture or an encoded document, not a key (keys decode to bytes that are not text). An encoded
 * `user:password` has no space and still counts as a secret.
 */
export function isBase64Text(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (!/\s/.test(decoded)) return false;
  let printable = 0;
  for (const char of decoded) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 32 && code < 127) || code === 9 || code === 10 || code === 13 || code > 159) printable += 1;
  }
  return printable / decoded.length >= 0.95;
}

/** Keeps the first four characters: enough to recognise the kind of secret, not to use it. */
export function maskSecret(secret: string): string {
  return secret.slice(0, 4) + '*'.repeat(Math.min(Math.max(secret.length - 4, 4), 16));
}
