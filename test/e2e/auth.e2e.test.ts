// A person signs up, signs out and signs in again through the real pages.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser } from '../support/browser.js';

let reckon: Reckon;
let browser: Browser;
const shots = process.env.RECKON_SCREENSHOTS;

beforeAll(async () => {
  ({ reckon, browser } = await startSiteAndBrowser());
});
afterAll(async () => { await browser?.close(); await reckon?.close(); });

async function submitSignUp(page: Page, name: string, email: string, password: string) {
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('accounts in the browser', () => {
  it('signs up, signs out and signs back in', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    const email = `browser-${Date.now()}@example.com`;

    await page.goto(reckon.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await submitSignUp(page, 'Grace Hopper', email, 'short');
    await page.getByText('Use at least 8 characters.').waitFor();
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await page.getByTestId('account-email').textContent()).toBe(email);
    expect(await page.getByText("Grace Hopper's team").count()).toBe(1);
    if (shots) await page.screenshot({ path: path.join(shots, 'account.png'), fullPage: true });

    // The session survives a reload: the server, not the page, is the source of truth.
    await page.reload();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    await submitSignIn(page, email, 'not the password');
    await page.getByText('The email or password is not right.').waitFor();
    await submitSignIn(page, email, 'a long enough password');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await page.getByTestId('account-name').textContent()).toBe('Grace Hopper');
    if (shots) await page.screenshot({ path: path.join(shots, 'signed-in.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
  });

  it('deletes the account from the account page', async () => {
    const page = await (await browser.newContext()).newPage();
    const email = `erase-${Date.now()}@example.com`;
    await page.goto(`${reckon.url}/#/signup`);
    await submitSignUp(page, 'Temp', email, 'a long enough password');
    await page.getByRole('link', { name: 'Temp' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const file = await (await download).path();
    expect(JSON.parse(fs.readFileSync(file!, 'utf8')).user.email).toBe(email);
    await page.getByRole('button', { name: 'Delete my account…' }).click();
    await page.getByLabel('Confirm with your password').fill('a long enough password');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await submitSignIn(page, email, 'a long enough password');
    await page.getByText('The email or password is not right.').waitFor();
  });
});
