// Issue #15, item 15: the site runs exactly one poll loop, for the room on screen. Leaving a room
// while its poll is in flight stops that room's polling; the next room is polled, and only it.
// Every poll is held for a while on its way (page.route), and the test leaves just as one is sent,
// so leaving happens mid-poll.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import type { Reckon } from '../support/reckon.js';
import { startSiteAndBrowser, signedUpPage } from '../support/browser.js';

let reckon: Reckon;
let browser: Browser;

beforeAll(async () => {
  ({ reckon, browser } = await startSiteAndBrowser());
});
afterAll(async () => { await browser?.close(); await reckon?.close(); });

const POLL = /\/api\/sessions\/([A-Za-z0-9_-]+)\/state$/;

/** Counts the poll requests the page sends, per session id, and holds each for `holdMs`. */
async function countPolls(page: Page, holdMs: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  page.on('request', (r) => {
    const id = POLL.exec(new URL(r.url()).pathname)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  });
  await page.route(POLL, async (route) => { await sleep(holdMs); await route.continue().catch(() => undefined); });
  return counts;
}

/** Waits until the page sends its next poll of this room (it is then held, in flight). */
const nextPollOf = (page: Page, id: string) => page.waitForRequest((r) => POLL.exec(new URL(r.url()).pathname)?.[1] === id, { timeout: 10_000 });

async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.getByRole('heading', { name }).waitFor();
  return /#\/s\/([A-Za-z0-9_-]+)$/.exec(page.url())![1]!;
}

describe('the room polls only while it is on screen', () => {
  it('room A → sessions → room B: A is no longer polled, B is polled every ~2 s', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Polly');
    const counts = await countPolls(page, 800);
    const a = await createRoom(page, 'Room A');
    await nextPollOf(page, a);
    await nextPollOf(page, a); // a later poll, from the loop's timer, is in flight: leave now
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    const aWhenLeft = counts.get(a) ?? 0;
    expect(aWhenLeft).toBeGreaterThan(0);
    await sleep(3000);
    expect(counts.get(a) ?? 0).toBe(aWhenLeft); // nothing for A on the sessions page

    const b = await createRoom(page, 'Room B');
    const bStart = counts.get(b) ?? 0;
    await sleep(6500);
    expect(counts.get(a) ?? 0).toBe(aWhenLeft);
    const bPolls = (counts.get(b) ?? 0) - bStart;
    expect(bPolls).toBeGreaterThanOrEqual(2); // one loop: about every 2.8 s (0.8 s held + 2 s)
    expect(bPolls).toBeLessThanOrEqual(4);
  });

  it('room A → room B directly (the address changes under the page): only B is polled afterwards', async () => {
    const page = await signedUpPage(browser, reckon.url, 'Rhea');
    const a = await createRoom(page, 'First room');
    await page.getByRole('link', { name: 'Sessions' }).click();
    const b = await createRoom(page, 'Second room');
    const counts = await countPolls(page, 800);
    const aPolled = nextPollOf(page, a);
    await page.evaluate((id) => { location.hash = `#/s/${id}`; }, a);
    await page.getByRole('heading', { name: 'First room' }).waitFor();
    await aPolled;
    await nextPollOf(page, a); // A's second poll is in flight
    await page.evaluate((id) => { location.hash = `#/s/${id}`; }, b);
    await page.getByRole('heading', { name: 'Second room' }).waitFor();
    const aWhenLeft = counts.get(a) ?? 0;
    const bStart = counts.get(b) ?? 0;
    await sleep(6500);
    expect(counts.get(a) ?? 0).toBe(aWhenLeft);
    const bPolls = (counts.get(b) ?? 0) - bStart;
    expect(bPolls).toBeGreaterThanOrEqual(2);
    expect(bPolls).toBeLessThanOrEqual(4);
  });
});
