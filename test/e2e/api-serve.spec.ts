import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { CAMPAIGN, makeGatedFleet, startServe, type GatedFleet } from './api-fixture.js';

/** `flotilla serve` mounts the API and the dashboard next to its webhooks and health check. */
describe('flotilla serve: the API and the dashboard', () => {
  let fleet: GatedFleet;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    fleet = await makeGatedFleet();
  }, 120_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
  });

  it('makes a token on first start, prints it once, keeps it with mode 0600, and requires it', async () => {
    const first = await startServe(fleet.state, [], { FLOTILLA_API_TOKEN: undefined });
    children.push(first.child);
    const token = /API token \(kept in .*api-token\): (\S+)/.exec(first.output())?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(join(fleet.state, 'api-token'))).mode & 0o777).toBe(0o600);
    expect((await fetch(`${first.url}/api/campaigns`)).status).toBe(401);
    expect((await fetch(`${first.url}/api/campaigns`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('close', resolve));

    const again = await startServe(fleet.state, [], { FLOTILLA_API_TOKEN: undefined });
    children.push(again.child);
    expect(again.output()).not.toContain(token);
    expect((await fetch(`${again.url}/api/campaigns`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    again.child.kill('SIGTERM');
  });

  it('serves the built dashboard at / and for its page URLs, with a strict CSP, next to /healthz and /hooks', async () => {
    const server = await startServe(fleet.state, ['--open-reads']);
    children.push(server.child);
    for (const path of ['/', `/campaigns/${CAMPAIGN}`, `/runs/${CAMPAIGN}/${encodeURIComponent('<script>alert(1)</script>')}`]) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('<div id="root"></div>');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
      const asset = await fetch(`${server.url}${script}`);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/campaigns`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/hooks/generic`, { method: 'POST', body: '{}' })).status).toBe(404);
    server.child.kill('SIGTERM');
  });
});
