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

  it('the moderator asks for the session summary in the room and downloads it; the client reads its client-safe version on the portal home', async () => {
    const mod = await signedUpPage(browser, reckon.url, 'Odile');
    const api = mod.context().request;
    const headers = { origin: reckon.url };
    const tenantId = (await (await api.get(`${reckon.url}/api/auth/me`)).json()).memberships[0].tenantId;
    expect((await api.put(`${reckon.url}/api/ai/teams/${tenantId}/settings`, { headers, data: { enabled: true, dailyQuota: 100 } })).status()).toBe(200);
    const clientId = (await (await api.post(`${reckon.url}/api/portal/clients`, { headers, data: { tenantId, name: 'Acme' } })).json()).client.id;
    const session = (await (await api.post(`${reckon.url}/api/sessions`, { headers, data: { tenantId, name: 'Acme sprint 3', deck: 'fibonacci', clientId } })).json()).session.id;
    const added = await (await api.post(`${reckon.url}/api/sessions/${session}/issues`, { headers, data: { issues: [{ title: 'Checkout page' }, { title: 'Refund flow' }, { title: 'Gift cards' }] } })).json();
    for (const [i, estimate] of ['8', '3'].entries()) {
      expect((await api.post(`${reckon.url}/api/sessions/${session}/finalize`, { headers, data: { issueId: added.issues[i].id, estimate } })).status()).toBe(200);
    }
    vertex.reply = () => ({ text: 'Two of three issues estimated, 11 points; Gift cards is left.', clientText: 'Checkout page is an 8 and the refund flow a 3: 11 points.' });

    await mod.goto(`${reckon.url}/#/s/${session}`);
    await mod.getByRole('heading', { name: 'Session summary' }).waitFor();
    await mod.getByRole('button', { name: 'Summarise the session' }).click();
    await mod.getByText('Two of three issues estimated, 11 points; Gift cards is left.').waitFor();
    await mod.getByText(/For the client \(no names, no votes\): Checkout page is an 8/).waitFor();
    await mod.getByRole('button', { name: 'Summarise again' }).waitFor();
    const [download] = await Promise.all([mod.waitForEvent('download'), mod.getByRole('link', { name: 'Download summary (text)' }).click()]);
    expect(download.suggestedFilename()).toBe('Acme-sprint-3-summary.txt');
    const file = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    expect(file).toContain('Session: Acme sprint 3');
    expect(file).toContain('Two of three issues estimated, 11 points; Gift cards is left.');

    // The client's portal user (a link redeemed in the browser) reads the client-safe version.
    const url = (await (await api.post(`${reckon.url}/api/portal/clients/${clientId}/links`, { headers, data: {} })).json()).url as string;
    const pia = await signedUpPage(browser, reckon.url, 'Pia');
    await pia.goto(url);
    await pia.getByRole('button', { name: 'Open the portal' }).click();
    await pia.getByRole('heading', { name: 'Acme', exact: true }).waitFor();
    await pia.getByRole('heading', { name: 'Sessions', exact: true }).waitFor();
    const item = pia.locator('.session-summaries li', { hasText: 'Acme sprint 3' });
    await item.getByText('Checkout page is an 8 and the refund flow a 3: 11 points.').waitFor();
    const text = (await pia.locator('main').textContent())!.replace("by Odile's team", ''); // the team's name, not a voter's
    for (const unseen of ['Odile', 'Gift cards is left', 'Two of three']) expect(text).not.toContain(unseen);
    vertex.reply = undefined;
  });
});
