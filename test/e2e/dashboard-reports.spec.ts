import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { flotilla } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/repos.js';
import { call, startServe, TOKEN } from './api-fixture.js';
import { ARTIFACTS, HAS_CHROMIUM, launchChromium, openPage } from './dashboard-browser.js';

const canaryFixture = (name: string): string => fileURLToPath(new URL(`../fixtures/canary/${name}`, import.meta.url));

/**
 * A run whose path records all three reports other parts of Flotilla emit — `compliance.findings`
 * (compliance/check with a warning rule), `canary.judgement` (canary/judge over a file of samples) and
 * `confidence.decision` (confidence/gate) — shown by the API and on the run page.
 */
// Skipped only when Debian's Chromium is not installed (dashboard.spec.ts prints the reason).
describe.skipIf(!HAS_CHROMIUM)('the run page with compliance, canary and confidence reports', () => {
  let browser: Browser;
  let server: { child: ChildProcess; url: string };

  beforeAll(async () => {
    const dir = await tempDir('flotilla-reports-');
    await makeRepo(join(dir, 'repos', 'checkout-api'), { VERSION: '1\n', 'README.md': 'checkout\n' });
    await writeFile(join(dir, 'fleet.yaml'), stringify({ targets: [{ name: 'checkout-api', repo: './repos/checkout-api', owner: 'team-payments', tier: 1 }] }));
    await writeFile(join(dir, 'policy.yaml'), stringify({ checks: { secrets: {} }, rules: [{ id: 'version-file', when: 'files.exists(f, f.path == "VERSION")', severity: 'warn', message: 'the VERSION file changed' }] }));
    await writeFile(
      join(dir, 'campaign.yaml'),
      stringify({
        name: 'checked',
        policy: 'policy.yaml',
        steps: [
          { id: 'edit', uses: 'codemod/replace', with: { files: ['VERSION'], find: '1', replace: '2' } },
          { id: 'comply', uses: 'compliance/check' },
          { id: 'canary', uses: 'canary/judge', with: { configFile: canaryFixture('checkout-canary.json'), samples: canaryFixture('samples-pass.json') } },
          { id: 'gate', uses: 'confidence/gate', with: { autoMerge: 0.5, needsHuman: 0.1 } },
          { id: 'open', uses: 'change/open' },
          { id: 'merge', uses: 'change/merge' },
        ],
      }),
    );
    const state = join(dir, 'state');
    const run = await flotilla(['run', join(dir, 'campaign.yaml'), '--fleet', join(dir, 'fleet.yaml'), '--json', '--state', state]);
    expect(run.code, run.stderr).toBe(0);
    server = await startServe(state);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
  });

  it('the API returns each report with its data and the step output', async () => {
    const { body } = await call(server.url, 'GET', '/api/runs/checked/checkout-api');
    const reports = body.reports as Record<string, { step: string; data: Record<string, unknown>; output: Record<string, unknown> | null }[]>;
    expect(reports.compliance?.[0]).toMatchObject({ step: 'comply', data: { verdict: 'pass', findings: [expect.objectContaining({ severity: 'warn', message: 'the VERSION file changed' })] } });
    expect(reports.canary?.[0]).toMatchObject({ step: 'canary', data: { verdict: 'pass', score: 100 }, output: { metrics: expect.arrayContaining([expect.objectContaining({ name: 'latency_p50', controlMean: expect.any(Number) as unknown })]) as unknown } });
    expect(reports.confidence?.[0]).toMatchObject({ step: 'gate', data: { action: 'auto-merge', signals: expect.arrayContaining([expect.objectContaining({ id: 'canary' })]) as unknown } });
  });

  it('shows the confidence breakdown, the compliance findings and the canary metrics with their distributions', async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(`window.sessionStorage.setItem('flotilla.api-token', ${JSON.stringify(TOKEN)})`);
    await page.goto(`${server.url}/runs/checked/checkout-api`);
    const confidence = page.getByRole('region', { name: 'Confidence' });
    await confidence.getByText('auto-merge', { exact: true }).waitFor();
    await confidence.getByRole('rowheader', { name: 'canary', exact: true }).waitFor();
    const compliance = page.getByRole('region', { name: 'Compliance' });
    await compliance.getByRole('cell', { name: 'the VERSION file changed' }).waitFor();
    const canary = page.getByRole('region', { name: 'Canary' });
    await canary.getByRole('rowheader', { name: 'latency_p50' }).waitFor();
    const chart = canary.getByRole('img', { name: /Control and experiment per metric/ });
    expect(await chart.locator('circle.control').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-run-reports.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
