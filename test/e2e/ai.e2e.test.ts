// Gemini in the room, in two browsers: the team turns AI on on the Team page; voters add reasons
// to their cards; the moderator sees the suggestion from the team's history before the reveal and
// the guest does not; after the reveal both see the reasons, the suggestion and the round summary.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { startFakeVertex, type FakeVertex } from '../support/fakes/vertex.js';

let reckon: Reckon;
let browser: Browser;
let vertex: FakeVertex;

beforeAll(async () => {
  vertex = await startFakeVertex();
  ({ reckon, browser } = await startSiteAndBrowser({ RECKON_AI_FAKE_URL: vertex.url, RECKON_AI_RETRY_DELAY_MS: '20' }));
});
afterAll(async () => { await browser?.close(); await reckon?.close(); await vertex?.close(); });

describe('AI in the room, in the browser', () => {
  it('shows the suggestion to the moderator only before the reveal, and the reasons and summary to everyone after', async () => {
    const mod = await signedUpPage(browser, reckon.url, 'Maude');
    await mod.goto(`${reckon.url}/#/team`);
    await mod.getByLabel('Use Gemini for this team').check();
    await mod.getByRole('button', { name: 'Save AI settings' }).click();
    await mod.getByText('AI settings saved.').waitFor();

    // The team's history: two login issues estimated 5 in an earlier session.
    const api = mod.context().request;
    const headers = { origin: reckon.url };
    const tenantId = (await (await api.get(`${reckon.url}/api/auth/me`)).json()).memberships[0].tenantId;
    const past = (await (await api.post(`${reckon.url}/api/sessions`, { headers, data: { tenantId, name: 'Last sprint', deck: 'fibonacci' } })).json()).session.id;
    const added = await (await api.post(`${reckon.url}/api/sessions/${past}/issues`, { headers, data: { issues: [{ title: 'Login page with password reset' }, { title: 'Login with single sign-on' }, { title: 'Export invoices' }] } })).json();
    for (const [i, estimate] of ['5', '5', '2'].entries()) {
      expect((await api.post(`${reckon.url}/api/sessions/${past}/finalize`, { headers, data: { issueId: added.issues[i].id, estimate } })).status()).toBe(200);
    }

    await mod.goto(`${reckon.url}/#/`);
    await mod.getByLabel('Name', { exact: true }).fill('Sprint 8');
    await mod.getByLabel('Reveal the cards by themselves once everyone has voted').uncheck();
    await mod.getByRole('button', { name: 'Create session' }).click();
    await mod.getByRole('heading', { name: 'Sprint 8' }).waitFor();
    await mod.getByLabel('Add issues').fill('- Login page with Google sign-in\n');
    await mod.getByRole('button', { name: 'Add', exact: true }).click();
    await mod.getByRole('button', { name: 'Estimate Login page with Google sign-in' }).click();
    await mod.getByRole('button', { name: 'Join as voter' }).click();
    const link = await mod.getByLabel(/Invite with this link/).inputValue();

    const guest = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await guest.goto(link);
    await guest.getByLabel('Your name').fill('Gus');
    await guest.getByRole('button', { name: 'Join' }).click();
    await guest.getByRole('heading', { name: 'Login page with Google sign-in' }).waitFor();

    // Before the reveal: the moderator has the suggestion, the guest has none.
    await mod.getByText(/Suggested: \d+/).waitFor();
    expect(await mod.getByText('only you see this until the reveal').count()).toBe(1);

    await guest.getByRole('button', { name: 'Card 13' }).click();
    await guest.getByLabel(/Why this card/).fill('Google needs a security review first');
    await guest.getByRole('button', { name: 'Save reason' }).click();
    await mod.getByRole('button', { name: 'Card 3' }).click();
    await mod.getByText('Everyone has voted.').waitFor();
    expect(await guest.getByText(/Suggested:/).count()).toBe(0);
    expect(await mod.getByText('Google needs a security review first').count()).toBe(0);

    await mod.getByRole('button', { name: 'Reveal cards' }).click();
    for (const page of [mod, guest]) {
      await page.getByRole('heading', { name: 'Reasons' }).waitFor();
      await page.getByText('Google needs a security review first').waitFor();
      // 3 and 13 are three deck steps apart: the summary is asked for by itself and shown to all.
      await page.getByRole('heading', { name: 'Round summary' }).waitFor();
      await page.locator('.summary-text').waitFor();
      await page.getByText(/Suggested: \d+/).waitFor();
    }
    expect(await guest.locator('.summary-text').textContent()).toBe('Fake Gemini text.');
    // What left Reckon named nobody.
    for (const call of vertex.calls) { expect(call.raw).not.toContain('Maude'); expect(call.raw).not.toContain('Gus'); }
  });
});
