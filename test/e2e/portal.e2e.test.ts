// The client portal end to end (issue #17): an admin creates clients and a portal link on the
// Clients page; a person without an account opens the link on a phone, signs up, redeems it, sees
// exactly the client's finalized estimates (not another client's, not unfinished ones), approves
// one; the team sees the approval in the room and the Forge estimates API returns it.
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { sendSigned } from '../../shared/forge/signing-client.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { attestedCall } from '../support/forge.js';

let reckon: Reckon;
let browser: Browser;
const shots = process.env.RECKON_SCREENSHOTS;
let forge: FakeForge;
beforeAll(async () => {
  forge = await startFakeForge();
  ({ reckon, browser } = await startSiteAndBrowser({ ...forge.env, RECKON_POLL_CACHE_MS: '0' }));
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [i, c] of browser.contexts().entries()) for (const [j, p] of c.pages().entries()) await p.screenshot({ path: `/tmp/portalweb-shots/fail-${i}-${j}.png`, fullPage: true }).catch(() => undefined);
});
afterAll(async () => { await browser?.close(); await reckon?.close(); await forge?.close(); });

/** A call from the signed-in page itself (its cookie, its origin). */
async function call(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(async ([m, u, b]) => {
    const res = await fetch(u as string, { method: m as string, headers: b === undefined ? {} : { 'Content-Type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, [method, url, body] as const);
}

/** Estimates the issue in the open room: join, play a card (the round reveals by itself), save. */
async function estimate(page: Page, title: string, card: string) {
  await page.getByRole('button', { name: `Estimate ${title}` }).click();
  const join = page.getByRole('button', { name: 'Join as voter' });
  if (await join.isVisible()) await join.click();
  await page.getByRole('button', { name: `Card ${card}` }).click();
  await page.getByRole('heading', { name: 'Results' }).waitFor();
  await page.getByLabel('Final estimate').fill(card);
  await page.getByRole('button', { name: 'Save estimate' }).click();
  await page.locator('.issues li', { hasText: title }).locator('.estimate', { hasText: card }).waitFor();
}

describe('the client portal in the browser', () => {
  it('a new person redeems a portal link, sees only the client\'s finalized estimates and approves one; the team sees it in the room and through Forge', async () => {
    const ada = await signedUpPage(browser, reckon.url, 'Ada');
    const tenantId = (await call(ada, 'GET', '/api/auth/me')).json.memberships[0].tenantId as string;
    // Requested issues come from Jira through a bound Forge site (its setup is forge.e2e's).
    const site = forge.newSite();
    const code = (await call(ada, 'POST', '/api/forge/connect-codes', { tenantId })).json.code as string;
    const bound = await attestedCall(reckon, '/api/forge/bind', await forge.invocationToken(site), { code });
    expect(bound.status).toBe(201);
    const { cloudId } = site;
    const secret = bound.json.secret as string;
    const requested = await sendSigned(reckon.url, {
      secrets: [secret], cloudId, method: 'POST', path: '/api/forge/events',
      json: { type: 'estimation_requested', cloudId, siteUrl: 'https://acme-poker.atlassian.net', issues: [{ key: 'POKER-31', fields: { summary: 'Bulk edit estimates' } }, { key: 'POKER-32', fields: { summary: 'Audit export' } }] },
    });
    expect(requested.status).toBe(200);

    // Clients page: two clients, then a link for Acme, shown once.
    await ada.getByRole('link', { name: 'Team', exact: true }).click();
    await ada.getByRole('link', { name: 'Clients and their portal' }).click();
    await ada.getByRole('heading', { name: 'Clients', exact: true }).waitFor();
    for (const name of ['Globex', 'Acme']) {
      await ada.getByLabel('Name of the new client').fill(name);
      await ada.getByRole('button', { name: 'Create client' }).click();
      await ada.getByRole('heading', { name, exact: true }).waitFor();
    }
    await ada.getByLabel('Valid for').selectOption('14');
    await ada.getByLabel('Note (who receives it)').fill('For Pia, product owner');
    await ada.getByRole('button', { name: 'Create portal link' }).click();
    const link = await ada.getByLabel('Portal link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${reckon.url}/#/portal/link/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    await ada.getByRole('button', { name: 'Done' }).click();
    expect(await ada.content()).not.toContain(link); // shown once
    await ada.locator('[data-testid=portal-link]', { hasText: 'For Pia, product owner' }).getByText('active').waitFor();

    // A Globex session, created for Globex, with a finalized estimate Acme must never see.
    await ada.getByRole('link', { name: 'Sessions' }).click();
    await ada.getByLabel('Name', { exact: true }).fill('Globex sprint');
    await ada.getByLabel('For client').selectOption({ label: 'Globex' });
    await ada.getByRole('button', { name: 'Create session' }).click();
    await ada.getByRole('heading', { name: 'Globex sprint' }).waitFor();
    await ada.getByLabel('Add issues').fill('Globex payroll import\n');
    await ada.getByRole('button', { name: 'Add', exact: true }).click();
    await estimate(ada, 'Globex payroll import', '8');

    // The requests from Jira are Acme's: assigned on the sessions page; one is estimated, one is not.
    await ada.getByRole('link', { name: 'Sessions' }).click();
    await ada.getByLabel('Client of Requests from Jira').selectOption({ label: 'Acme' });
    await ada.getByText('Requests from Jira is now for Acme.').waitFor();
    await ada.getByLabel('Client', { exact: true }).selectOption({ label: 'Acme' });
    await ada.locator('.session-list li', { hasText: 'Globex sprint' }).waitFor({ state: 'detached' });
    await ada.getByRole('link', { name: 'Requests from Jira' }).click();
    await estimate(ada, 'Bulk edit estimates', '5');

    // Pia has no account: on her phone she opens the link, signs up, comes back and redeems it.
    const pia = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    await pia.goto(link);
    await pia.getByRole('link', { name: 'Create an account' }).click();
    await pia.getByLabel('Your name').fill('Pia');
    const piaEmail = `pia-${Date.now()}@example.com`;
    await pia.getByLabel('Email').fill(piaEmail);
    await pia.getByLabel('Password').fill('a long enough password');
    await pia.getByRole('button', { name: 'Create account' }).click();
    await pia.getByRole('button', { name: 'Open the portal' }).click();
    await pia.getByRole('heading', { name: 'Acme', exact: true }).waitFor();
    const cards = pia.getByTestId('estimate');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(1);
    expect(await cards.first().textContent()).toContain('POKER-31');
    // Nothing of Globex, nothing unfinished, and no voter's name (Ada voted; her team's name says "Ada's team").
    const text = (await pia.locator('main').textContent())!.replace("by Ada's team", '');
    for (const unseen of ['Globex', 'Audit export', 'POKER-32', 'Ada']) expect(text).not.toContain(unseen);
    // No team navigation for someone who is in no team.
    for (const name of ['Sessions', 'Team']) expect(await pia.getByRole('link', { name, exact: true }).count()).toBe(0);
    expect(await pia.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    if (shots) await pia.screenshot({ path: path.join(shots, 'portal-estimate-360.png'), fullPage: true });
    await pia.getByLabel('Comment').fill('Go ahead');
    await pia.getByRole('button', { name: 'Approve Bulk edit estimates' }).click();
    await cards.first().getByText('approved', { exact: true }).waitFor();
    await pia.getByLabel('Show').selectOption('pending');
    await pia.getByText('No estimates with this decision.').waitFor();
    if (shots) await pia.screenshot({ path: path.join(shots, 'portal-home-360.png'), fullPage: true });
    // The same link again is dead.
    await pia.goto(link);
    await pia.getByRole('button', { name: 'Open the portal' }).click();
    await pia.getByText('This link does not work').waitFor();

    // Signing in again lands on the portal.
    await pia.getByRole('button', { name: 'Sign out' }).click();
    await pia.getByLabel('Email').fill(piaEmail);
    await pia.getByLabel('Password').fill('a long enough password');
    await pia.getByRole('button', { name: 'Sign in' }).click();
    await pia.getByRole('heading', { name: 'Acme', exact: true }).waitFor();
    await cards.first().getByText('approved', { exact: true }).waitFor();
    // The client's insights are one link away (numbers only; no time is logged in Jira yet).
    await pia.getByRole('link', { name: 'How estimates compare with the time logged' }).click();
    await pia.getByRole('heading', { name: 'Insights', exact: true }).waitFor();
    await pia.goBack();
    await pia.getByRole('heading', { name: 'Acme', exact: true }).waitFor();

    // The team sees the decision in the room (still open in Ada's tab) and through Forge.
    await ada.locator('.issues li', { hasText: 'Bulk edit estimates' }).getByTestId('approval').getByText('Approved by Pia').waitFor();
    const fromForge = await sendSigned(reckon.url, { secrets: [secret], cloudId, method: 'GET', path: '/api/forge/estimates?keys=POKER-31' });
    expect(fromForge.body).toMatchObject({ estimates: [{ key: 'POKER-31', finalEstimate: '5', approval: { decision: 'approved', comment: 'Go ahead', by: { displayName: 'Pia' } } }] });

    // And on the Clients page: who redeemed the link, and Pia among the portal users.
    await ada.getByRole('link', { name: 'Team', exact: true }).click();
    await ada.getByRole('link', { name: 'Clients and their portal' }).click();
    await ada.getByRole('button', { name: 'Acme' }).click();
    await ada.locator('[data-testid=portal-link]', { hasText: 'For Pia, product owner' }).getByText('redeemed by Pia', { exact: false }).waitFor();
    await ada.locator('[data-testid=portal-user]', { hasText: 'Pia' }).waitFor();
    // A link without a note, and the page on a phone.
    await ada.getByRole('button', { name: 'Create portal link' }).click();
    await ada.getByLabel('Portal link', { exact: true }).waitFor();
    await ada.setViewportSize({ width: 360, height: 740 });
    expect(await ada.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (shots) await ada.screenshot({ path: path.join(shots, 'clients-360.png'), fullPage: true });
  });

  it('an admin renames, regenerates, revokes, removes a portal user and archives; each takes effect for the portal user', async () => {
    const ada = await signedUpPage(browser, reckon.url, 'Ada');
    await ada.goto(`${reckon.url}/#/clients`);
    await ada.getByLabel('Name of the new client').fill('Initech');
    await ada.getByRole('button', { name: 'Create client' }).click();
    await ada.getByLabel('Client name').fill('Initech Ltd');
    await ada.getByRole('button', { name: 'Rename client' }).click();
    await ada.getByRole('button', { name: 'Initech Ltd' }).waitFor();
    // A leaked link: regenerate revokes it and shows a new one.
    await ada.getByLabel('Note (who receives it)').fill('For Sam');
    await ada.getByRole('button', { name: 'Create portal link' }).click();
    const leaked = await ada.getByLabel('Portal link', { exact: true }).inputValue();
    await ada.getByRole('button', { name: 'Done' }).click();
    await ada.getByRole('button', { name: 'Regenerate For Sam' }).click();
    const fresh = await ada.getByLabel('Portal link', { exact: true }).inputValue();
    expect(fresh).not.toBe(leaked);
    await ada.getByRole('button', { name: 'Done' }).click();
    await ada.locator('[data-testid=portal-link]', { hasText: 'revoked' }).waitFor();

    const sam = await signedUpPage(browser, reckon.url, 'Sam');
    await sam.goto(leaked);
    await sam.getByRole('button', { name: 'Open the portal' }).click();
    await sam.getByText('This link does not work').waitFor();
    await sam.goto(fresh);
    await sam.getByRole('button', { name: 'Open the portal' }).click();
    await sam.getByRole('heading', { name: 'Initech Ltd' }).waitFor();
    await sam.getByText('No estimates yet.').waitFor();

    // Archived: Sam's portal closes; unarchived: it opens again; removed: closed for good.
    ada.on('dialog', (d) => void d.accept());
    await ada.reload();
    await ada.getByRole('button', { name: 'Initech Ltd' }).click();
    await ada.getByRole('button', { name: 'Archive client' }).click();
    await ada.getByText('Initech Ltd was archived.').waitFor();
    await sam.reload();
    await sam.getByText('You have no client portal.').waitFor();
    await ada.getByRole('button', { name: 'Unarchive client' }).click();
    await ada.getByText('Initech Ltd is active again.').waitFor();
    await sam.reload();
    await sam.getByText('No estimates yet.').waitFor();
    await ada.getByRole('button', { name: 'Remove Sam from the portal' }).click();
    await ada.getByText('Nobody has redeemed a link yet.').waitFor();
    // The page Sam has open is refused at its next call.
    await sam.getByLabel('Show').selectOption('approved');
    await sam.getByText('This portal is no longer open to you.').waitFor();
  });
});
