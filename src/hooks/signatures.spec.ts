import { describe, expect, it } from 'vitest';
import { signGeneric, signGitHub, verifyGeneric, verifyGitHub } from './signatures.js';

const body = Buffer.from('{"campaign":"bump-debug","target":"billing-api","type":"ci.completed","data":{"conclusion":"success"}}');
const at = 1_700_000_000;
const now = new Date(at * 1000);

describe('signatures', () => {
  // GitHub's own documentation gives the second pair (secret, body, signature) as its test vector.
  it('matches the worked examples in README.md', () => {
    expect(signGeneric('s3cret', body, at)).toBe('sha256=b6708083c06e18f26f5198bfb33f8ac13438d32380d307fd183db2cffe81bb4e');
    expect(signGitHub('It\'s a Secret to Everybody', 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  });

  it('accepts what it signed', () => {
    expect(verifyGitHub('s3cret', body, signGitHub('s3cret', body))).toEqual({ ok: true });
    expect(verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), String(at), now)).toEqual({ ok: true });
    expect(verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), String(at), new Date((at + 300) * 1000))).toEqual({ ok: true });
  });

  it.each([
    ['no signature', verifyGitHub('s3cret', body, undefined), 'missing X-Hub-Signature-256 header'],
    ['another secret', verifyGitHub('s3cret', body, signGitHub('other', body)), 'X-Hub-Signature-256 does not match the body'],
    ['another body', verifyGitHub('s3cret', Buffer.from('{}'), signGitHub('s3cret', body)), 'X-Hub-Signature-256 does not match the body'],
    ['no prefix', verifyGitHub('s3cret', body, signGitHub('s3cret', body).slice(7)), 'X-Hub-Signature-256 must be sha256=<64 hex digits>'],
    ['a short digest', verifyGitHub('s3cret', body, 'sha256=abcd'), 'X-Hub-Signature-256 must be sha256=<64 hex digits>'],
    ['no timestamp', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), undefined, now), 'missing X-Flotilla-Timestamp header'],
    ['a timestamp in ms', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), `${at}000`, now), 'X-Flotilla-Timestamp must be unix seconds'],
    ['an old timestamp', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at - 301), String(at - 301), now), 'stale timestamp: 301s from now, more than 300s'],
    ['a future timestamp', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at + 400), String(at + 400), now), 'stale timestamp: 400s from now, more than 300s'],
    ['a timestamp that is not the signed one', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), String(at + 1), now), 'X-Flotilla-Signature does not match the body'],
    ['a timestamp that is not a number', verifyGeneric('s3cret', body, signGeneric('s3cret', body, at), 'soon', now), 'X-Flotilla-Timestamp must be unix seconds'],
  ])('refuses %s', (_title, result, reason) => {
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
