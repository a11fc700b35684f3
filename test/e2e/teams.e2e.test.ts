// A team in the browser: an admin creates a team and an invite link; a colleague without an
// account opens the link, signs up, comes back and joins; they vote in a room of the team; the
// admin demotes them, then removes them, and the colleague's open room stops working. Also: the
// header fits a 360 px phone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
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

describe('a team in the browser', () => {
  it('invites a colleague who signs up through the link, votes, is demoted, then removed and loses the room', async () => {
    const ada = await signedUpPage(browser, reckon.url, 'Ada');
    await ada.getByRole('link', { name: 'Team', exact: true }).click();
    await ada.getByLabel('Name of the new team').fill('Platform');
    await ada.getByRole('button', { name: 'Create team' }).click();
    await ada.getByRole('heading', { name: 'Platform' }).waitFor();
    await ada.getByLabel('Role', { exact: true }).selectOption('admin');
    await ada.getByRole('button', { name: 'Create invite link' }).click();
    const link = await ada.getByLabel('Invite link', { exact: true }).inputValue();
    expect(link).toMatch(new RegExp(`^${reckon.url}/#/invite/rki_[A-Za-z0-9_-]{43}$`));
    await ada.getByRole('button', { name: 'Done' }).click();
    expect(await ada.content()).not.toContain(link); // shown once
    // Each link's Revoke button says which link it revokes (a screen reader lists buttons by name).
    await ada.getByRole('button', { name: /^Revoke the admin link until .*, 0 of 1 used$/ }).waitFor();

    // The colleague has no account: sign up first, come back to the invite, join.
    const cleo = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await cleo.goto(link);
    await cleo.getByRole('link', { name: 'Create an account' }).click();
    await cleo.getByLabel('Your name').fill('Cleo');
    await cleo.getByLabel('Email').fill(`cleo-${Date.now()}@example.com`);
    await cleo.getByLabel('Password').fill('a long enough password');
    await cleo.getByRole('button', { name: 'Create account' }).click();
    await cleo.getByRole('button', { name: 'Join the team' }).click();
    await cleo.getByRole('heading', { name: 'Platform' }).waitFor();
    await cleo.locator('[data-testid=member]', { hasText: 'Cleo' }).waitFor();

    // A room of the team: the colleague joins and votes.
    await ada.getByRole('link', { name: 'Sessions' }).click();
    expect(await ada.getByLabel('Team').locator('option:checked').textContent()).toBe('Platform');
    await ada.getByLabel('Name', { exact: true }).fill('Sprint 9');
    await ada.getByLabel('Reveal the cards by themselves once everyone has voted').uncheck();
    await ada.getByRole('button', { name: 'Create session' }).click();
    await ada.getByRole('heading', { name: 'Sprint 9' }).waitFor();
    await ada.getByLabel('Add issues').fill('- Search box\n');
    await ada.getByRole('button', { name: 'Add', exact: true }).click();
    await ada.getByRole('button', { name: 'Estimate Search box' }).click();
    const roomUrl = ada.url();
    await cleo.goto(roomUrl);
    await cleo.getByRole('button', { name: 'Join as voter' }).click();
    await cleo.getByRole('button', { name: 'Card 5' }).click();
    await ada.locator('.people li', { hasText: 'Cleo' }).filter({ hasText: '✓ voted' }).waitFor();

    // Demoted: still a member, still votes.
    await ada.getByRole('link', { name: 'Team', exact: true }).click();
    await ada.getByLabel('Role of Cleo').selectOption('member');
    await ada.getByText('Cleo is now a member.').waitFor();
    await cleo.getByRole('button', { name: 'Card 8' }).click();
    await cleo.waitForFunction(() => document.querySelector('[aria-label="Card 8"]')?.getAttribute('aria-pressed') === 'true');

    // Removed: the open room stops working.
    ada.once('dialog', (d) => void d.accept());
    await ada.getByRole('button', { name: 'Remove Cleo' }).click();
    await ada.getByText('Cleo was removed.').waitFor();
    // At once on this one server; the bound allows 60 s, the wait allows 30 s for a loaded machine.
    await cleo.getByRole('heading', { name: 'Session not found' }).waitFor({ timeout: 30_000 });
    await ada.locator('[data-testid=audit-log] li', { hasText: 'Ada removed Cleo' }).waitFor();
    if (shots) await ada.screenshot({ path: path.join(shots, 'team.png'), fullPage: true });
  });

  it('fits the header on a 360 px wide phone', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Bartholomew-Alexander');
    await page.setViewportSize({ width: 360, height: 740 });
    const box = async (sel: string) => (await page.locator(sel).first().boundingBox())!;
    const brand = await box('.brand');
    for (const link of ['Sessions', 'Team']) {
      const b = (await page.getByRole('link', { name: link, exact: true }).boundingBox())!;
      const overlaps = b.x < brand.x + brand.width && brand.x < b.x + b.width && b.y < brand.y + brand.height && brand.y < b.y + b.height;
      expect(overlaps, `${link} overlaps the brand`).toBe(false);
      expect(b.x + b.width).toBeLessThanOrEqual(360);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    if (shots) await page.screenshot({ path: path.join(shots, 'header-360.png') });
  });
});
