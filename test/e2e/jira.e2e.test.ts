// An admin connects a (fake) Jira Cloud site in the browser, imports a sprint's issues into a
// session with a preview count, and the team votes on an imported issue.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';

let reckon: Reckon;
let browser: Browser;
let jira: FakeJira;
beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: 'ATATT3x-browser-test-token' });
  ({ reckon, browser } = await startSiteAndBrowser({ RECKON_JIRA_FAKE_URL: jira.url }));
});
afterAll(async () => { await browser?.close(); await reckon?.close(); await jira?.close(); });

describe('Jira in the browser', () => {
  it('connects a site, imports by JQL with a preview, and votes on an imported issue', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Mia');

    // Jira and Forge are team settings, reached from the Team page.
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('link', { name: 'Jira' }).click();
    await page.getByLabel('Site address').fill('http://127.0.0.1:9');
    await page.getByLabel('Jira account email').fill('mia@acme.example');
    await page.getByLabel('API token').fill('ATATT3x-browser-test-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Reckon connects to Jira Cloud sites').or(page.getByText('Jira Cloud sites are reached over https.')).first().waitFor();
    await page.getByLabel('Site address').fill('https://acme-poker.atlassian.net');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('as Mia Krystof').waitFor();
    expect(await page.content()).not.toContain('ATATT3x-browser-test-token');

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Sprint 14');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.getByRole('heading', { name: 'Sprint 14' }).waitFor();
    await page.getByRole('button', { name: 'Import from Jira' }).click();
    await page.getByLabel('JQL', { exact: true }).fill('project = POKER ORDER BY rank');
    await page.getByRole('button', { name: 'Preview count' }).click();
    await page.getByText('This finds 4 issues.').waitFor();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Added 4, updated 0.').waitFor();
    await page.locator('.issues li', { hasText: 'POKER-12' }).waitFor();

    await page.getByRole('button', { name: /^Estimate Let the session owner/ }).click();
    await page.getByRole('button', { name: 'Join as voter' }).click();
    await page.getByText('5 points in Jira').waitFor();
    await page.getByRole('button', { name: 'Card 5' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor(); // the one voter voted: auto-reveal
    expect(jira.requests.every((r) => r.method === 'GET' || r.method === 'POST')).toBe(true);
  });
});
