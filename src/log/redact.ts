/**
 * Keeps secrets out of step logs, events and step output. Two nets: the values of environment variables
 * whose names say they are secret, and token shapes that are secret wherever they appear.
 */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|API_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH)/i;

const TOKEN_SHAPES: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bsk_live_[A-Za-z0-9]{16,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /(\/\/[^/\s:@]+:)[^@\s/]+@/g,
];

export const REDACTED = '[redacted]';

export interface Redactor {
  (text: string): string;
}

/** Builds a redactor for the secret values found in `env` (values shorter than 6 characters are ignored). */
export function createRedactor(env: Readonly<Record<string, string | undefined>>): Redactor {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let result = text;
    for (const value of values) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    for (const shape of TOKEN_SHAPES) {
      result = result.replace(shape, (match: string, prefix?: string) =>
        typeof prefix === 'string' && prefix.startsWith('//') ? `${prefix}${REDACTED}@` : REDACTED,
      );
    }
    return result;
  };
}

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[key] = redactDeep(item, redact);
    return out as T;
  }
  return value;
}
