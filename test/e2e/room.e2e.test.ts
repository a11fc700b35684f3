// Two people play a full round in two browsers: a signed-in moderator, and a guest who joins by
// the link the moderator copies. Both vote, the moderator reveals, both see the results, the
// moderator records the estimate and moves on; a reload shows the room exactly as it is; a second
// issue takes two rounds; the results download as CSV and closing the session stops the voting.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';

let reckon: Reckon;
let browser: Browser;
const shots = process.env.RECKON_SCREENSHOTS;

beforeAll(async () => {
  ({ reckon, browser } = await startSiteAndBrowser());
});
afterAll(async () => { await browser?.close(); await reckon?.close(); });

describe('an estimation room in the browser', () => {
  it('runs a session of two issues between a signed-in moderator and a guest who joined by link', async () => {
    const mod = await signedUpPage(browser, reckon.url, 'Maude');
    await mod.getByLabel('Name', { exact: true }).fill('Sprint 7');
    await mod.getByLabel('Reveal the cards by themselves once everyone has voted').uncheck();
    await mod.getByRole('button', { name: 'Create session' }).click();
    await mod.getByRole('heading', { name: 'Sprint 7' }).waitFor();
    await mod.getByLabel('Add issues').fill('- Checkout page\n- Refund flow\n');
    await mod.getByRole('button', { name: 'Add', exact: true }).click();
    await mod.getByRole('button', { name: 'Estimate Checkout page' }).click();
    await mod.getByRole('button', { name: 'Join as voter' }).click();
    await mod.getByRole('group', { name: 'Your card' }).waitFor();
    const link = await mod.getByLabel(/Invite with this link/).inputValue();
    expect(link).toMatch(/\/#\/join\/[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);

    // The guest, on a phone, in a browser of their own.
    const guest = await (await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true })).newPage();
    await guest.goto(link);
    await guest.getByLabel('Your name').fill('Gus');
    await guest.getByRole('button', { name: 'Join' }).click();
    await guest.getByRole('heading', { name: 'Checkout page' }).waitFor();
    await mod.locator('.people li', { hasText: 'Gus' }).waitFor();

    await guest.getByRole('button', { name: 'Card 5' }).tap();
    await mod.getByRole('button', { name: 'Card 8' }).click();
    await mod.getByText('Everyone has voted.').waitFor();
    await guest.getByText('Everyone has voted.').waitFor();
    expect(await guest.getByRole('button', { name: 'Card 5' }).getAttribute('aria-pressed')).toBe('true');
    // Before the reveal the moderator sees that Gus voted, not what.
    expect(await mod.locator('.people li', { hasText: 'Gus' }).textContent()).toContain('✓ voted');

    await mod.getByRole('button', { name: 'Reveal cards' }).click();
    for (const page of [mod, guest]) {
      await page.getByRole('heading', { name: 'Results' }).waitFor();
      expect(await page.locator('dt:text-is("Average") + dd').textContent()).toBe('6.5'); // of 5 and 8
      expect(await page.getByRole('list', { name: 'Cards played' }).locator('li').count()).toBe(2);
    }
    if (shots) { await mod.screenshot({ path: path.join(shots, 'room-moderator.png'), fullPage: true }); await guest.screenshot({ path: path.join(shots, 'room-guest.png'), fullPage: true }); }

    await mod.getByLabel('Final estimate').fill('8');
    await mod.getByRole('button', { name: 'Save estimate' }).click();
    for (const page of [mod, guest]) await page.locator('.issues li', { hasText: 'Checkout page' }).locator('.estimate', { hasText: '8' }).waitFor();
    await mod.getByRole('button', { name: 'Next issue' }).click();
    await guest.getByRole('heading', { name: 'Refund flow' }).waitFor();

    // After a reload the guest sees the room as it is, their own card included.
    await guest.getByRole('button', { name: 'Card 3' }).tap();
    await guest.waitForFunction(() => document.querySelector('[aria-label="Card 3"]')?.getAttribute('aria-pressed') === 'true');
    await sleep(1200);
    await guest.reload();
    await guest.getByRole('heading', { name: 'Refund flow' }).waitFor();
    await guest.waitForFunction(() => document.querySelector('[aria-label="Card 3"]')?.getAttribute('aria-pressed') === 'true');
    expect(await guest.locator('.issues li', { hasText: 'Checkout page' }).locator('.estimate').textContent()).toBe('Estimate: 8');

    // They disagree, vote again, agree, and the moderator records it: the session's second issue.
    await mod.getByRole('button', { name: 'Card 13' }).click();
    await mod.getByText('Everyone has voted.').waitFor();
    await mod.getByRole('button', { name: 'Reveal cards' }).click();
    await guest.getByRole('heading', { name: 'Results' }).waitFor();
    await mod.getByRole('button', { name: 'Vote again' }).click();
    for (const page of [mod, guest]) {
      await page.getByText(/Round 2/).first().waitFor();
      await page.waitForFunction(() => document.querySelector('[aria-pressed="true"]') === null); // the cards of round 1 are cleared
      expect(await page.getByRole('heading', { name: 'Results' }).count()).toBe(0);
    }
    await guest.getByRole('button', { name: 'Card 5' }).tap();
    // The moderator plays this one by keyboard: Tab moves along the deck, Space plays the card.
    await mod.getByRole('button', { name: 'Card 3' }).focus();
    await mod.keyboard.press('Tab');
    await mod.keyboard.press('Space');
    await mod.waitForFunction(() => document.querySelector('[aria-label="Card 5"]')?.getAttribute('aria-pressed') === 'true');
    await mod.getByText('Everyone has voted.').waitFor();
    await mod.getByRole('button', { name: 'Reveal cards' }).click();
    await guest.getByText('Consensus!').waitFor();
    await mod.getByLabel('Final estimate').fill('5');
    await mod.getByRole('button', { name: 'Save estimate' }).click();
    await guest.locator('.issues li', { hasText: 'Refund flow' }).locator('.estimate', { hasText: '5' }).waitFor();

    // The moderator downloads the results and closes the session; the guest can no longer vote.
    const [download] = await Promise.all([mod.waitForEvent('download'), mod.getByRole('link', { name: 'Download results (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('Sprint-7-results.csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')).toEqual([
      'Issue,Key,Final estimate,Rounds,Votes per round,Client approval',
      'Checkout page,,8,1,"R1: Gus=5, Maude=8",',
      'Refund flow,,5,2,"R1: Gus=3, Maude=13; R2: Gus=5, Maude=5",',
      '',
    ]);
    mod.once('dialog', (dialog) => void dialog.accept());
    await mod.getByRole('button', { name: 'Close session' }).click();
    await guest.getByText('This session is closed.').waitFor();
    expect(await guest.getByRole('group', { name: 'Your card' }).count()).toBe(0);
  });

  it('follows the room through a network outage, a hung request and a hidden tab', async () => {
    const mod = await signedUpPage(browser, reckon.url, 'Olive');
    await mod.getByLabel('Name', { exact: true }).fill('Outage drill');
    await mod.getByLabel('Reveal the cards by themselves once everyone has voted').uncheck();
    await mod.getByRole('button', { name: 'Create session' }).click();
    await mod.getByLabel('Add issues').fill('Search page');
    await mod.getByRole('button', { name: 'Add', exact: true }).click();
    await mod.getByRole('button', { name: 'Estimate Search page' }).click();
    const link = await mod.getByLabel(/Invite with this link/).inputValue();
    const guest = await (await browser.newContext()).newPage();
    await guest.goto(link);
    await guest.getByLabel('Your name').fill('Gil');
    await guest.getByRole('button', { name: 'Join' }).click();
    await mod.locator('.people li', { hasText: 'Gil' }).waitFor();
    await mod.locator('.connection').getByText('Live', { exact: true }).waitFor();

    const polls: number[] = [];
    mod.on('request', (r) => { if (r.url().endsWith('/state')) polls.push(Date.now()); });
    const statePolls = '**/api/sessions/*/state';

    // The network drops: the room says so, and waits longer after each failure.
    await mod.route(statePolls, (route) => route.abort('internetdisconnected'));
    await mod.locator('.connection').getByText('Reconnecting…').waitFor();
    const failedFrom = polls.length - 1;
    await guest.getByRole('button', { name: 'Card 3' }).click(); // the room changes meanwhile
    await expect.poll(() => polls.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(failedFrom + 3);
    const [a, b, c] = polls.slice(failedFrom, failedFrom + 3) as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(1800); // 2 s, then 4 s
    expect(c - b).toBeGreaterThanOrEqual(3600);
    expect(await mod.locator('.people li', { hasText: 'Gil' }).textContent()).not.toContain('✓ voted');

    // Back online: the room is live again and shows what happened while it was away.
    await mod.unroute(statePolls);
    await mod.locator('.connection').getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    await mod.locator('.people li', { hasText: 'Gil' }).getByText('✓ voted').waitFor();

    // A request that never comes back is given up, so the room still says it is reconnecting.
    const held: Array<import('playwright-core').Route> = [];
    await mod.route(statePolls, (route) => { held.push(route); });
    await mod.locator('.connection').getByText('Reconnecting…').waitFor({ timeout: 20_000 });
    expect(held.length).toBeGreaterThanOrEqual(1);
    await mod.unroute(statePolls);
    await mod.locator('.connection').getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });

    // A hidden tab polls every 15 s, and looks at once when it is shown again (a phone waking up).
    // Headless Chromium never hides a page, so the page is told it is hidden as a browser would.
    const setHidden = (hidden: boolean) => mod.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await sleep(2500); // let the visible-tab poll that is due go out
    await setHidden(true);
    const hiddenFrom = polls.length;
    await sleep(6000);
    expect(polls.length - hiddenFrom).toBeLessThanOrEqual(1); // a visible tab would have polled 3 times
    await guest.getByRole('button', { name: 'Watch instead' }).click();
    await guest.getByRole('button', { name: 'Vote instead' }).waitFor();
    const shownAt = Date.now();
    await setHidden(false);
    await mod.locator('.people li', { hasText: 'Gil' }).getByText('watching').waitFor({ timeout: 6000 });
    expect(polls.some((t) => t >= shownAt && t - shownAt < 1500)).toBe(true); // not 15 s later
  }, 120_000); // it waits out a backoff, a 10 s poll timeout and a hidden spell
});
