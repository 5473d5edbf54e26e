import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN, makeGatedFleet, SCRIPT_TARGET, startServe, TOKEN } from './api-fixture.js';
import { ARTIFACTS, CHROMIUM, HAS_CHROMIUM, launchChromium, openPage } from './dashboard-browser.js';

if (!HAS_CHROMIUM) console.log(`skipping the dashboard browser tests: ${CHROMIUM} is absent (.ci/run installs Debian's chromium)`);

/**
 * The dashboard in a real browser against `flotilla serve` over a real campaign: three runs merged, one
 * failed at `test`, one waiting at an approval step, and a target named `<script>alert(1)</script>`.
 */
// Skipped only when Debian's Chromium is not installed (the reason is printed above).
describe.skipIf(!HAS_CHROMIUM)('the dashboard', () => {
  let browser: Browser;
  let server: { child: ChildProcess; url: string };

  beforeAll(async () => {
    const fleet = await makeGatedFleet();
    expect(fleet.first.code, fleet.first.stderr).toBe(1);
    server = await startServe(fleet.state);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
  });

  it('shows the campaign: burndown, why runs are stuck, and target names as text', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${server.url}/campaigns/${CAMPAIGN}`);
    // The server wants its token: the dashboard asks once and keeps it for the tab.
    const token = page.getByRole('textbox', { name: 'Token' });
    await token.fill(TOKEN);
    await page.getByRole('button', { name: 'Use this token' }).click();

    const burndown = page.getByRole('img', { name: /Burndown: open and landed runs over time/ });
    await burndown.waitFor();
    expect(await burndown.locator('polyline.series.open').getAttribute('points')).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+)+$/);
    await page.getByText('landed 3', { exact: true }).waitFor();

    const stuck = page.getByRole('region', { name: 'Why is this stuck?' });
    await stuck.getByText(/^needs approval from team-sre for /).waitFor();
    await stuck.getByText(/^failed at step test: .*not ok 1 - the service is broken$/).waitFor();
    await page.getByRole('region', { name: 'Waves and circuit breaker' }).getByText(/^No waves/).waitFor();

    // The odd target name is a link whose text is the name; no script element came from it.
    const odd = page.getByRole('link', { name: SCRIPT_TARGET, exact: true });
    await odd.waitFor();
    expect(await odd.textContent()).toBe(SCRIPT_TARGET);
    expect(await page.locator('body script').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-campaign.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-campaign-full.png'), fullPage: true });

    // Keyboard: the arrow keys move between rows of the targets list.
    await odd.focus();
    await page.keyboard.press('ArrowDown');
    // Focus moves after React handles the key: wait for it rather than reading at once.
    await page.waitForFunction("document.activeElement && document.activeElement.textContent === 'billing-api'", undefined, { timeout: 10_000 });

    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
    await page.getByRole('status').filter({ hasText: '1 shown' }).waitFor();
    expect(await page.locator('.virtual-table [data-index] a').allTextContents()).toEqual(['search-worker']);
    expect(problems).toEqual([]);
  }, 60_000);

  it('approves the waiting run from its page, which then moves on without a reload', async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(`window.sessionStorage.setItem('flotilla.api-token', ${JSON.stringify(TOKEN)})`);
    await page.goto(`${server.url}/runs/${CAMPAIGN}/ledger-api`);
    await page.getByText('Why it is here:').waitFor();
    await page.getByText(/needs approval from team-sre/).first().waitFor();
    await page.getByText('live', { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-run-waiting.png'), fullPage: true });

    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve ledger-api?' });
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('reviewed in the dashboard');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'approval.granted recorded for ledger-api at step approve' }).waitFor();

    // No reload: the page follows the run over the event stream until it merges.
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => reloads.push(frame.url()));
    await page.locator('.page-title .badge', { hasText: 'merged' }).waitFor({ timeout: 30_000 });
    await page.getByRole('region', { name: 'Timeline' }).getByText(/approval\.granted from flotilla api approve by dashboard/).waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText('run.completed').waitFor();
    expect(reloads).toEqual([]);
    expect(await page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-run-merged.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);

  it('lists the campaigns with progress, counts and state', async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(`window.sessionStorage.setItem('flotilla.api-token', ${JSON.stringify(TOKEN)})`);
    await page.goto(server.url);
    const row = page.getByRole('row', { name: new RegExp(`^${CAMPAIGN}`) });
    await row.getByRole('progressbar', { name: `${CAMPAIGN}: 5 of 5 runs ended` }).waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(['done', '5/5', '4', '0', '0', '1', '0', '0', '0', '0']);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-campaigns.png') });
    await row.getByRole('link', { name: CAMPAIGN }).click();
    await page.getByRole('heading', { name: CAMPAIGN, level: 1 }).waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it("shows a failed run's step log, streamed", async () => {
    const { page, problems } = await openPage(browser);
    await page.addInitScript(`window.sessionStorage.setItem('flotilla.api-token', ${JSON.stringify(TOKEN)})`);
    await page.goto(`${server.url}/runs/${CAMPAIGN}/search-worker`);
    await page.locator('.why').getByText(/failed at step test: .*not ok 1 - the service is broken/).waitFor();
    await page.getByRole('button', { name: 'Show log of test' }).click();
    await page.getByRole('log', { name: 'Log of step test' }).getByText(/not ok 1 - the service is broken/).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-run-failed.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
