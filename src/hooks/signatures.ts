import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of incoming hooks. Both styles are HMAC-SHA256 in hex with a `sha256=` prefix:
 * - GitHub: over the raw body (`X-Hub-Signature-256`);
 * - Flotilla's generic style: over `<timestamp>.<raw body>` (`X-Flotilla-Signature`, with the unix
 *   seconds in `X-Flotilla-Timestamp`), so a captured request stops working after the tolerance window.
 *
 * Comparison is constant-time: an attacker cannot learn a valid signature byte by byte from timings.
 */

/** How far a generic hook's timestamp may be from now, either way. */
export const GENERIC_TOLERANCE_SECONDS = 5 * 60;

const PREFIX = 'sha256=';

/** The `X-Hub-Signature-256` value GitHub sends for `body`. */
export function signGitHub(secret: string, body: string | Buffer): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

/** The `X-Flotilla-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signGeneric(secret: string, body: string | Buffer, timestamp: number): string {
  return PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** A verification result: `ok`, or why not (said to the sender in a 401). */
export type Verification = { ok: true } | { ok: false; reason: string };

export function verifyGitHub(secret: string, body: Buffer, header: string | undefined): Verification {
  if (!header) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
  return compareSignature(signGitHub(secret, body), header, 'X-Hub-Signature-256');
}

export function verifyGeneric(secret: string, body: Buffer, signature: string | undefined, timestamp: string | undefined, now: Date): Verification {
  if (!signature) return { ok: false, reason: 'missing X-Flotilla-Signature header' };
  if (!timestamp) return { ok: false, reason: 'missing X-Flotilla-Timestamp header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Flotilla-Timestamp must be unix seconds' };
  const seconds = Number(timestamp);
  const skew = Math.abs(now.getTime() / 1000 - seconds);
  if (skew > GENERIC_TOLERANCE_SECONDS) {
    return { ok: false, reason: `stale timestamp: ${Math.round(skew)}s from now, more than ${GENERIC_TOLERANCE_SECONDS}s` };
  }
  return compareSignature(signGeneric(secret, body, seconds), signature, 'X-Flotilla-Signature');
}

function compareSignature(expected: string, given: string, header: string): Verification {
  const hex = given.trim();
  if (!hex.startsWith(PREFIX) || !/^[0-9a-f]{64}$/i.test(hex.slice(PREFIX.length))) {
    return { ok: false, reason: `${header} must be sha256=<64 hex digits>` };
  }
  const a = Buffer.from(expected.slice(PREFIX.length), 'hex');
  const b = Buffer.from(hex.slice(PREFIX.length), 'hex');
  // Equal lengths are guaranteed by the format check above; timingSafeEqual requires them.
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: `${header} does not match the body` };
  return { ok: true };
}
