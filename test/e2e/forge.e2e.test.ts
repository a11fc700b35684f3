// Forge end to end: an admin registers an installation in the browser and copies the secret
// shown once; a signed estimation_requested (the same signing as `npm run forge:send`) puts an
// issue in the Requests session; the team estimates it in the room; the estimates API returns it.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { sendSigned } from '../../shared/forge/signing-client.js';

let reckon: Reckon;
let browser: Browser;
beforeAll(async () => { ({ reckon, browser } = await startSiteAndBrowser()); });
afterAll(async () => { await browser?.close(); await reckon?.close(); });

describe('Forge in the browser', () => {
  it('registers an installation, receives a requested issue, and answers its final estimate', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Ada');

    const cloudId = randomUUID();
    // Jira and Forge are team settings, reached from the Team page.
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('link', { name: 'Forge' }).click();
    await page.getByLabel('Atlassian cloud id').fill('not-a-cloud-id');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Not an Atlassian cloud id').waitFor();
    await page.getByLabel('Atlassian cloud id').fill(cloudId);
    await page.getByRole('button', { name: 'Register' }).click();
    const secret = (await page.getByTestId('forge-secret').textContent())!;
    expect(secret).toMatch(/^rkf_/);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.locator('.connections li', { hasText: cloudId }).getByText('last call never').waitFor();
    expect(await page.content()).not.toContain(secret);

    const sent = await sendSigned(reckon.url, {
      secrets: [secret], cloudId, method: 'POST', path: '/api/forge/events',
      json: { type: 'estimation_requested', cloudId, siteUrl: 'https://acme-poker.atlassian.net', issues: [{ key: 'POKER-31', fields: { summary: 'Bulk edit estimates' } }] },
    });
    expect(sent.status).toBe(200);
    await page.reload();
    await page.locator('.connections li', { hasText: cloudId }).getByText('last call never').waitFor({ state: 'detached' });

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'Requests from Jira' }).click();
    await page.locator('.issues li', { hasText: 'POKER-31' }).waitFor();
    await page.getByRole('button', { name: 'Estimate Bulk edit estimates' }).click();
    await page.getByRole('button', { name: 'Join as voter' }).click();
    await page.getByRole('button', { name: 'Card 5' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await page.getByLabel('Final estimate').fill('5');
    await page.getByRole('button', { name: 'Save estimate' }).click();
    await page.locator('.issues li', { hasText: 'POKER-31' }).locator('.estimate', { hasText: '5' }).waitFor();

    const estimates = await sendSigned(reckon.url, { secrets: [secret], cloudId, method: 'GET', path: '/api/forge/estimates?keys=POKER-31' });
    expect(estimates.body).toMatchObject({ estimates: [{ key: 'POKER-31', finalEstimate: '5', session: { name: 'Requests from Jira' } }], notEstimated: [] });
  });
});
