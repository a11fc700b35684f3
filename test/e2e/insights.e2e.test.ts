// The Insights page in the browser (issue #19): a team with finalized estimates and time logged
// (written as history, aggregated by the real backfill job) opens the page on a 360 px phone,
// sees the box plot and the trend as SVG, switches to the table view and reads the same numbers,
// and exports them as CSV; a new team sees what to do first.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Timestamp } from '@google-cloud/firestore';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { newFirestore } from '../support/firestore.js';
import { runInsightsBackfill } from '../../shared/jobs/insights-backfill.js';

let reckon: Reckon;
let browser: Browser;

beforeAll(async () => {
  ({ reckon, browser } = await startSiteAndBrowser());
});
afterAll(async () => { await browser?.close(); await reckon?.close(); });

/** Hours logged per issue, by card: 3 → 4, 5, 6, 7, 8 h and one far off (40 h); 5 → 8, 9, 10, 11 h. */
const HISTORY: [string, number][] = [['3', 4], ['3', 5], ['3', 6], ['3', 7], ['3', 8], ['3', 40], ['5', 8], ['5', 9], ['5', 10], ['5', 11]];

async function seedHistory(tenantId: string, ownerUid: string): Promise<void> {
  const db = newFirestore({ projectId: reckon.projectId });
  const at = Timestamp.fromMillis(Date.now() - 86_400_000);
  const session = db.collection('sessions').doc();
  await session.set({ tenantId, clientId: null, name: 'Last sprint', ownerUid, deck: { name: 'fibonacci' }, status: 'closed', autoReveal: false, joinCode: 'E2EHIST', currentIssueId: null, round: 0, revealed: false, stateVersion: 1, issuesVersion: 1, participantsVersion: 1, issueCount: HISTORY.length, nextIssueOrder: HISTORY.length, createdAt: at, updatedAt: at });
  for (const [n, [card, hours]] of HISTORY.entries()) {
    await session.collection('issues').doc().set({
      tenantId, title: hours === 40 ? 'Payment provider migration' : `Issue ${n}`, description: '', order: n, rounds: 1, finalEstimate: card, estimatedAt: at, createdAt: at,
      jira: { key: `SHOP-${n + 1}`, url: `https://shop.atlassian.net/browse/SHOP-${n + 1}`, status: 'Done', timeSpentSeconds: hours * 3600 },
    });
  }
  await db.terminate();
  while (!(await runInsightsBackfill(Date.now(), { maxSessions: 100 })).done) { /* until every session is done */ }
}

const rowsOf = (page: Page, caption: string) => page.locator('table', { has: page.locator('caption', { hasText: caption }) }).locator('tbody tr')
  .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim())));

describe('the Insights page', () => {
  it('explains what to do when the team has no estimates yet', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Nia');
    await page.getByRole('link', { name: 'Insights' }).click();
    await page.getByRole('heading', { name: 'Insights' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Finalize estimates/);
  });

  it('draws the charts on a phone and shows the same numbers as tables and CSV', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Ada');
    const me = await page.evaluate(() => fetch('/api/auth/me').then((r) => r.json()));
    await seedHistory(me.memberships[0].tenantId, me.user.uid);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`${reckon.url}/#/insights`);
    const box = page.getByTestId('box-plot');
    await box.waitFor();
    expect(await box.getAttribute('aria-label')).toContain('3: median 6.5 h, middle half 5.25–7.75 h');
    await page.getByTestId('trend-chart').waitFor();
    // Fits the phone: nothing wider than the screen but the tables' own scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect((await box.boundingBox())!.width).toBeLessThanOrEqual(360);
    if (process.env.RECKON_SCREENSHOTS) await page.screenshot({ path: `${process.env.RECKON_SCREENSHOTS}/insights-360.png`, fullPage: true });

    await page.getByRole('button', { name: 'Show the numbers as tables' }).click();
    expect(await rowsOf(page, 'Hours logged per card')).toEqual([
      ['3', '6', '6', '5.25', '6.5', '7.75', '2.17'],
      ['5', '4', '4', '8.75', '9.5', '10.25', '1.9'],
    ]);
    const months = await rowsOf(page, 'By month');
    expect(months).toHaveLength(12);
    expect(months.reduce((s, r) => s + Number(r[1]), 0)).toBe(10);
    // The far-off issue is listed with its Jira link.
    const outlier = page.locator('table.outliers tbody tr', { hasText: 'Payment provider migration' });
    await expect.poll(() => outlier.locator('a', { hasText: 'SHOP-6' }).getAttribute('href')).toBe('https://shop.atlassian.net/browse/SHOP-6');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('cards,3,6,6,5.25,6.5,7.75,2.17');
    expect(csv).toContain('outliers,3,40,');
  });
});
