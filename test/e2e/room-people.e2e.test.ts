// Issue #15, items 12 and 16 in the browser: the room's list of people says in real text (read by
// screen readers, unlike an aria-label on a plain span) who is online and which card each played,
// and tags a guest as a guest, so a guest who takes the moderator's name cannot pass for her.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';
import { guest, poll, vote } from '../support/rooms.js';

let reckon: Reckon;
let browser: Browser;

beforeAll(async () => {
  ({ reckon, browser } = await startSiteAndBrowser());
});
afterAll(async () => { await browser?.close(); await reckon?.close(); });

describe('items 12 and 16: who is in the room, for every reader', () => {
  it('tags a guest as a guest and announces presence and revealed cards as text', async () => {
    const mod = await signedUpPage(browser, reckon.url, 'Maude');
    await mod.getByLabel('Name', { exact: true }).fill('Sprint 8');
    await mod.getByLabel('Reveal the cards by themselves once everyone has voted').uncheck();
    await mod.getByRole('button', { name: 'Create session' }).click();
    await mod.getByRole('heading', { name: 'Sprint 8' }).waitFor();
    await mod.getByLabel('Add issues').fill('- Checkout page\n');
    await mod.getByRole('button', { name: 'Add', exact: true }).click();
    await mod.getByRole('button', { name: 'Estimate Checkout page' }).click();
    await mod.getByRole('button', { name: 'Join as voter' }).click();
    await mod.getByRole('group', { name: 'Your card' }).waitFor();
    const code = (await mod.getByLabel(/Invite with this link/).inputValue()).split('/').pop()!;
    const sessionId = /#\/s\/([A-Za-z0-9_-]+)/.exec(mod.url())![1]!;

    // A guest takes the moderator's very name.
    const impostor = await guest(reckon, code, 'Maude');
    const { currentIssue, round } = (await poll(impostor.client, sessionId)).json;
    await vote(impostor.client, sessionId, currentIssue.id, round, '5');
    await mod.getByRole('button', { name: 'Card 8' }).click();
    await mod.getByText('Everyone has voted.').waitFor();

    const people = mod.getByRole('list').filter({ has: mod.locator(`[data-participant="${impostor.participantId}"]`) });
    const asRead = async () => (await people.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').replace(/ ,/g, ',').trim());
    expect(await asRead()).toEqual(['Maude (you), online ✓ voted', 'Maude guest, online ✓ voted']);
    const snapshot = await people.ariaSnapshot();
    expect(snapshot).toMatch(/Maude\s*guest\s*,\s*online/);
    expect(await mod.locator('.people [aria-label]').count()).toBe(0);

    await mod.getByRole('button', { name: 'Reveal cards' }).click();
    await mod.getByRole('heading', { name: 'Results' }).waitFor();
    await expect.poll(asRead).toEqual(['Maude (you), online voted 8', 'Maude guest, online voted 5']);
  });
});
