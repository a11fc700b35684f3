// Debian's Chromium driven by playwright-core: headless, no sandbox (root), and none of the
// background networking that a closed network refuses. playwright-core gives each launch a
// fresh, empty profile of its own.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions'],
  });
}

/** Reckon serving a freshly built site, and a browser to visit it (the browser tests' setup). */
export async function startSiteAndBrowser(env: Record<string, string> = {}): Promise<{ reckon: import('./reckon.js').Reckon; browser: Browser }> {
  const [{ buildWeb }, { startReckon }, os, path] = await Promise.all([import('../../scripts/build.js'), import('./reckon.js'), import('node:os'), import('node:path')]);
  const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reckon-web-'));
  await buildWeb(webDir);
  return { reckon: await startReckon(env, webDir), browser: await launchBrowser() };
}

/** A new browser context signed up as a new user (lands on Sessions). */
export async function signedUpPage(browser: Browser, siteUrl: string, name: string): Promise<import('playwright-core').Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${siteUrl}/#/signup`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(`${name.toLowerCase()}-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
  return page;
}
