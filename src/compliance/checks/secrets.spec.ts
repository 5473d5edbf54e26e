import { describe, expect, it } from 'vitest';
import { ALNUM, BASE64, DIGITS, HEX, UPPER, fakeChars, gitDiff, makeFacts } from '../testing.js';
import { isBase64Text, maskSecret, shannonEntropy } from './secret-patterns.js';
import { secretsCheck } from './secrets.js';

// Fake but well-formed credentials, assembled at run time from pieces.
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const SECRETS = {
  awsKeyId: ['AK', 'IA', fakeChars(16, UPPER + DIGITS, 1)].join(''),
  awsSecret: fakeChars(40, ALNUM + '/+', 2),
  github: ['gh', 'p_', fakeChars(36, ALNUM, 3)].join(''),
  githubFine: ['github', '_pat_', fakeChars(22, ALNUM, 4), '_', fakeChars(59, ALNUM, 5)].join(''),
  gitlab: ['gl', 'pat-', fakeChars(20, ALNUM, 6)].join(''),
  slack: ['xo', 'xb-', fakeChars(12, DIGITS, 7), '-', fakeChars(13, DIGITS, 8), '-', fakeChars(24, ALNUM, 9)].join(''),
  stripe: ['sk', '_live_', fakeChars(24, ALNUM, 10)].join(''),
  google: ['AI', 'za', fakeChars(35, ALNUM + '_-', 11)].join(''),
  npm: ['np', 'm_', fakeChars(36, ALNUM, 12)].join(''),
  jwt: [b64url({ alg: 'HS256', typ: 'JWT' }), b64url({ sub: '1234567890', name: 'Test User', iat: 1516239022 }), fakeChars(43, ALNUM + '_-', 13)].join('.'),
  twilio: ['S', 'K', fakeChars(32, HEX, 14)].join(''),
  sendgrid: ['S', 'G.', fakeChars(22, ALNUM, 15), '.', fakeChars(43, ALNUM + '_-', 16)].join(''),
  dbPassword: fakeChars(18, ALNUM, 17),
  clientSecret: fakeChars(32, ALNUM, 18),
};
const PEM_HEADER = ['-----BEGIN RSA ', 'PRIVATE KEY-----'].join('');
const PEM_FOOTER = ['-----END RSA ', 'PRIVATE KEY-----'].join('');

const positives = gitDiff([
  { path: 'config/aws.env', added: ['# deploy credentials', `AWS_ACCESS_KEY_ID=${SECRETS.awsKeyId}`, `AWS_SECRET_ACCESS_KEY=${SECRETS.awsSecret}`] },
  { path: '.github/workflows/release.yml', added: ['env:', `  GH_TOKEN: ${SECRETS.github}`] },
  { path: 'scripts/publish.sh', added: ['#!/bin/sh', `curl -H "Authorization: token ${SECRETS.githubFine}" "$API/repos"`] },
  { path: '.gitlab-ci.yml', added: ['variables:', `  CI_PUSH_TOKEN: "${SECRETS.gitlab}"`] },
  { path: 'src/notify.ts', removed: ['const hook = process.env.SLACK;'], added: [`const slack = new WebClient('${SECRETS.slack}');`], startLine: 12 },
  { path: 'billing/charge.py', added: ['import stripe', `stripe.api_key = "${SECRETS.stripe}"`] },
  { path: 'web/maps.js', added: [`loadMaps({ key: '${SECRETS.google}' });`] },
  { path: 'deploy/id_rsa', added: [PEM_HEADER, fakeChars(64, BASE64, 19), PEM_FOOTER] },
  { path: '.npmrc', added: [`//npm.pkg.example/:_authToken=${SECRETS.npm}`] },
  { path: 'src/session.ts', added: [`const session = '${SECRETS.jwt}';`] },
  { path: 'src/sms.js', added: [`const client = twilio(accountSid, '${SECRETS.twilio}', secret);`] },
  { path: 'src/mail.js', added: [`sgMail.setApiKey('${SECRETS.sendgrid}');`] },
  { path: 'config/database.yml', added: ['production:', `  url: postgres://app:${SECRETS.dbPassword}@db.internal:5432/app`] },
  { path: 'src/oauth.ts', added: [`const clientSecret = "${SECRETS.clientSecret}";`] },
]);

describe('secrets: true positives', () => {
  const findings = secretsCheck.run(makeFacts({ diff: positives }), {}, {});
  const reasons = (file: string) => findings.filter((finding) => finding.file === file).map((finding) => finding.reason);

  it.each([
    ['config/aws.env', ['secret:aws-access-key', 'secret:aws-secret-key']],
    ['.github/workflows/release.yml', ['secret:github-token']],
    ['scripts/publish.sh', ['secret:github-fine-grained-token']],
    ['.gitlab-ci.yml', ['secret:gitlab-token']],
    ['src/notify.ts', ['secret:slack-token']],
    ['billing/charge.py', ['secret:stripe-key']],
    ['web/maps.js', ['secret:google-api-key']],
    ['deploy/id_rsa', ['secret:private-key']],
    ['.npmrc', ['secret:npm-token']],
    ['src/session.ts', ['secret:jwt']],
    ['src/sms.js', ['secret:twilio-api-key']],
    ['src/mail.js', ['secret:sendgrid-api-key']],
    ['config/database.yml', ['secret:password-in-url']],
    ['src/oauth.ts', ['secret:high-entropy']],
  ])('%s: %j', (file, expected) => {
    expect(reasons(file)).toEqual(expected);
  });

  it('finds at least ten token formats', () => {
    const formats = new Set(findings.map((finding) => finding.reason).filter((reason) => reason !== 'secret:high-entropy'));
    expect(formats.size).toBeGreaterThanOrEqual(10);
  });

  it('reports the line in the new file, blocks by default, and never repeats the secret', () => {
    expect(findings.find((finding) => finding.file === 'config/aws.env' && finding.reason === 'secret:aws-access-key')).toMatchObject({
      line: 2,
      severity: 'block',
      check: 'secrets',
    });
    expect(findings.find((finding) => finding.file === 'src/notify.ts')?.line).toBe(12);
    for (const finding of findings) {
      for (const secret of Object.values(SECRETS)) expect(finding.message).not.toContain(secret);
    }
    expect(findings.find((finding) => finding.reason === 'secret:stripe-key')?.message).toContain(`sk_l${'*'.repeat(16)}`);
  });

  it('takes the severity and ignored paths from its params', () => {
    const relaxed = secretsCheck.run(makeFacts({ diff: positives }), { severity: 'warn', ignorePaths: ['deploy/**', '**/*.env'] }, {});
    expect(relaxed.every((finding) => finding.severity === 'warn')).toBe(true);
    expect(relaxed.some((finding) => finding.file === 'deploy/id_rsa' || finding.file === 'config/aws.env')).toBe(false);
    expect(secretsCheck.run(makeFacts({ diff: positives }), { entropy: { enabled: false } }, {}).some((finding) => finding.reason === 'secret:high-entropy')).toBe(false);
  });
});

describe('secrets: true negatives', () => {
  const integrity = `sha512-${fakeChars(86, BASE64, 30)}==`;
  // Base64 can contain a key-shaped run between "+" and "/": the hash is blanked before any pattern runs.
  const unluckyIntegrity = `sha512-${fakeChars(30, BASE64, 35)}+${['AK', 'IA'].join('')}${fakeChars(16, UPPER, 36)}/${fakeChars(35, BASE64, 37)}==`;
  const uuid = '3f2b8c1e-9d4a-4b7e-a1c2-5e6f7a8b9c0d';
  const gitSha = fakeChars(40, HEX, 31);
  const fixtureText = Buffer.from('this is the sample token fixture the parser tests decode, line by line').toString('base64');
  const negatives = gitDiff([
    {
      path: 'package-lock.json',
      added: [
        '    "node_modules/left-pad": {',
        '      "version": "1.3.0",',
        `      "resolved": "git+ssh://git@git.example/acme/left-pad.git#${gitSha}",`,
        `      "integrity": "${integrity}",`,
        '      "license": "WTFPL"',
        '    },',
      ],
    },
    { path: 'yarn.lock', added: ['left-pad@^1.3.0:', '  version "1.3.0"', `  integrity ${integrity}`, `  integrity ${unluckyIntegrity}`] },
    { path: 'src/ids.ts', added: [`const requestId = "${uuid}";`, `const token = "${uuid}";`, `export const apiKeyId = "${fakeChars(32, ALNUM, 32)}";`] },
    { path: 'deploy/release.yml', added: [`commit: ${gitSha}`, `rev = "${gitSha}"`, `resolved_sha: "${gitSha}"`] },
    { path: 'test/fixtures/payload.json', added: [`  "payload": "${fakeChars(88, BASE64, 33)}=",`, `  "sampleToken": "${fixtureText}"`] },
    {
      path: 'config/app.yml',
      added: [
        'password: ${DB_PASSWORD}',
        'api_key: "<your-api-key>"',
        'url: postgres://app:${DB_PASSWORD}@db:5432/app',
        'secret_name: checkout-service-signing-secret',
        'token_url: https://auth.example/oauth/token',
        '# AWS access keys start with AKIA; GitHub tokens with ghp_',
      ],
    },
    { path: 'src/old.ts', removed: [`const key = "${['AK', 'IA', fakeChars(16, UPPER, 34)].join('')}";`], added: ['const key = process.env.KEY;'] },
  ]);

  it('reports nothing on integrity hashes, UUIDs, git SHAs, base64 fixtures, placeholders or removed lines', () => {
    expect(secretsCheck.run(makeFacts({ diff: negatives }), {}, {})).toEqual([]);
  });
});

describe('secret helpers', () => {
  it('measures entropy', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('tells base64 text from base64 bytes', () => {
    expect(isBase64Text(Buffer.from('hello world, a fixture').toString('base64'))).toBe(true);
    expect(isBase64Text(Buffer.from('user:hunter2').toString('base64'))).toBe(false);
    expect(isBase64Text(Buffer.from(fakeChars(30, ALNUM, 40), 'latin1').toString('base64'))).toBe(false);
  });

  it('masks all but four characters', () => {
    expect(maskSecret('abcdefgh')).toBe('abcd****');
    expect(maskSecret('ab')).toBe('ab****');
  });
});
