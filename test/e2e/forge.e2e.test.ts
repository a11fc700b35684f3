// Forge end to end (issue #21's "Done means", with the browser where there is one): an admin gets
// a connect code in the browser; the Reckon app (its real handlers, the Forge runtime supplied by
// forge-app/test/harness.ts) binds the site with an invocation token; "Ask Reckon for an estimate"
// brings an issue in; the team estimates it in the room; the app's scheduled run writes the story
// points into the fake Jira, and the room and the sessions page show "in Jira ✓". A second team with its own code and a
// token of the same site is refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { registeredClient } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { connectCode } from '../support/forge.js';
import { forgeHarness } from '../../forge-app/test/harness.js';
import { bindSite, ReckonError } from '../../forge-app/src/reckon.js';
import { requestEstimate } from '../../forge-app/src/issues.js';
import { pullEstimates } from '../../forge-app/src/write-back.js';

let reckon: Reckon;
let browser: Browser;
let jira: FakeJira;
let forge: FakeForge;
beforeAll(async () => {
  jira = await startFakeJira({ email: 'forge-app@acme.example', apiToken: 'forge-app-token-000000' });
  forge = await startFakeForge();
  ({ reckon, browser } = await startSiteAndBrowser(forge.env));
});
afterAll(async () => { await browser?.close(); await reckon?.close(); await jira?.close(); await forge?.close(); });

describe('Forge in the browser', () => {
  it('binds a site with a connect code, brings issues in, shows what reached Jira in the room and on the sessions page, and retries a failure from there', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Ada');
    // Jira and Forge are team settings, reached from the Team page.
    await page.getByRole('link', { name: 'Team', exact: true }).click();
    await page.getByRole('link', { name: 'Forge' }).click();
    await page.getByText('No Jira site connected yet.').waitFor();
    await page.getByRole('button', { name: 'Get a connect code' }).click();
    const code = (await page.getByTestId('forge-connect-code').textContent())!;
    expect(code).toMatch(/^rkc_/);

    const app = forgeHarness({ reckonUrl: reckon.url, jira, forge });
    await bindSite(app, code);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('.connections li', { hasText: app.site.cloudId }).getByText('last call never').waitFor();
    expect(await page.content()).not.toContain(code);

    const intruder = await registeredClient(reckon);
    const refused = await bindSite(forgeHarness({ reckonUrl: reckon.url, jira, forge, site: app.site }), await connectCode(intruder)).catch((e: unknown) => e);
    expect((refused as ReckonError).code).toBe('forge_site_bound_elsewhere');

    await requestEstimate(app, 'POKER-15', 'https://acme-poker.atlassian.net');
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'Requests from Jira' }).click();
    await page.locator('.issues li', { hasText: 'POKER-15' }).waitFor();
    await page.getByRole('button', { name: /^Estimate / }).click();
    await page.getByRole('button', { name: 'Join as voter' }).click();
    await page.getByRole('button', { name: 'Card 5' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await page.getByLabel('Final estimate').fill('5');
    await page.getByRole('button', { name: 'Save estimate' }).click();
    await page.locator('.issues li', { hasText: 'POKER-15' }).locator('.estimate', { hasText: '5' }).waitFor();

    // A second issue whose edit screen lacks the story-point field: Jira refuses its estimate.
    // (Its recorded 8 points are emptied first, so the app tries to write rather than keep a value.)
    jira.options.pointsNotOnScreen = ['POKER-16'];
    jira.options.changed = { ...jira.options.changed, 'POKER-16': { customfield_10028: null } };
    await requestEstimate(app, 'POKER-16', 'https://acme-poker.atlassian.net');
    const second = page.locator('.issues li', { hasText: 'POKER-16' });
    await second.getByRole('button', { name: /^Estimate / }).click();
    await page.getByRole('button', { name: 'Card 8' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    await page.getByLabel('Final estimate').fill('8');
    await page.getByRole('button', { name: 'Save estimate' }).click();
    await second.locator('.estimate', { hasText: '8' }).waitFor();

    expect((await pullEstimates(app)).map((o) => [o.key, o.status])).toEqual([['POKER-15', 'written'], ['POKER-16', 'failed']]);
    expect((jira.options.changed?.['POKER-15'] as Record<string, unknown>).customfield_10028).toBe(5);
    await page.locator('.issues li', { hasText: 'POKER-15' }).getByText('in Jira ✓').waitFor();

    // The sessions page says the same per session, from the counters the sessions list carries.
    await page.getByRole('link', { name: 'Sessions' }).click();
    const row = page.locator('.session-list li', { hasText: 'Requests from Jira' });
    const summary = row.getByTestId('write-back-summary');
    await summary.getByText('in Jira ✓ 1 / failed 1').waitFor();
    await summary.getByRole('button', { name: 'Retry failed' }).click();
    await summary.getByText('in Jira ✓ 1 / waiting for the next run 1').waitFor();
    await page.reload();
    await page.locator('.session-list li', { hasText: 'Requests from Jira' }).getByText('in Jira ✓ 1 / waiting for the next run 1').waitFor();
  });
});
