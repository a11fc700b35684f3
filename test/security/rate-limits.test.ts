// Issue #15, items 6 and 7: limits that a burst cannot beat, and login limits that stop an
// attacker without shutting the account's owner out. Every burst is concurrent (Promise.all).
// Clients connect from loopback addresses of their own; `new ApiClient(reckon, {address})` stands
// for another address (an IPv6 one, or another client's) through the tests' front end.
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { readSessionCookie, sessionCookieHeader } from '../../shared/http/cookies.js';
import { guest, newSession } from '../support/rooms.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });
afterEach(() => { vi.useRealTimers(); });

/** Runs the test's clock from just after a window of `windowS` starts, so a burst stays in one window. */
function atWindowStart(windowS: number): (advanceS: number) => void {
  const start = Math.ceil(Date.now() / (windowS * 1000)) * windowS * 1000 + 50;
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: start });
  return (advanceS) => vi.setSystemTime(Date.now() + advanceS * 1000);
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});
const login = (client: ApiClient, email: string, password: string) => client.post('/api/auth/login', { email, password });

describe('item 6: a burst gets no more through a rate limit than its maximum', () => {
  it('200 concurrent wrong passwords on one account from one address: at most 10 are checked, the rest answer 429', async () => {
    const { account } = await registeredClient(reckon);
    atWindowStart(900);
    const attacker = new ApiClient(reckon);
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => login(attacker, account.email, `wrong ${i}`)));
    const t = tally(res.map((r) => r.status));
    // Under a burst the limit errs towards refusing (docs/decisions.md): never more than 10.
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(10);
    expect(t[429]).toBeGreaterThanOrEqual(190);
  });

  it('200 concurrent wrong passwords on one account from 200 addresses: at most 10 are checked', async () => {
    const { account } = await registeredClient(reckon);
    atWindowStart(60);
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => login(new ApiClient(reckon), account.email, `wrong ${i}`)));
    const t = tally(res.map((r) => r.status));
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(10);
  });

  it('50 concurrent join-code guesses from one address: at most 30 are looked up, the rest answer 429', async () => {
    atWindowStart(600);
    const guesser = new ApiClient(reckon);
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => guesser.post('/api/auth/guest', { joinCode: `ZZZ${String(i).padStart(3, '0')}`, displayName: 'Guess', role: 'voter' })));
    const t = tally(res.map((r) => r.status));
    expect([404, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[404] ?? 0).toBeLessThanOrEqual(30);
    expect(t[429]).toBeGreaterThanOrEqual(20);
  });
});

describe('item 7: an attacker cannot lock the owner out of their account', () => {
  it('after a burst of wrong passwords from many addresses, the owner signs in from a fresh address within a minute', async () => {
    const { account } = await registeredClient(reckon);
    const advance = atWindowStart(60);
    const attack = await Promise.all(Array.from({ length: 60 }, (_, i) => login(new ApiClient(reckon), account.email, `guess ${i}`)));
    const t = tally(attack.map((r) => r.status));
    expect(t[401] ?? 0).toBeLessThanOrEqual(10); // the attacker is slowed: ten guesses a minute at most
    expect(t[429]).toBeGreaterThanOrEqual(50);
    const owner = new ApiClient(reckon);
    const now = await login(owner, account.email, account.password);
    if (now.status === 429) {
      expect(Number(now.headers['retry-after'])).toBeLessThanOrEqual(60);
      advance(Number(now.headers['retry-after']));
    }
    const soon = await login(owner, account.email, account.password);
    expect(soon.status).toBe(200);
    expect((await owner.get('/api/auth/me')).status).toBe(200);
  });

  it('stops one address guessing: after 10 wrong passwords on an account it waits 15 minutes, even a minute later', async () => {
    const { account } = await registeredClient(reckon);
    const advance = atWindowStart(900);
    const attacker = new ApiClient(reckon);
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => login(attacker, account.email, `guess ${i}`)));
    expect(first.every((r) => r.status === 401)).toBe(true);
    advance(61);
    const later = await login(attacker, account.email, account.password);
    expect(later.status).toBe(429);
    expect(Number(later.headers['retry-after'])).toBeGreaterThan(60);
    // The owner, from their own address, is not refused.
    expect((await login(new ApiClient(reckon), account.email, account.password)).status).toBe(200);
  });

  it('stops one address trying many accounts: the 31st login from it in 15 minutes answers 429', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => registeredClient(reckon)));
    atWindowStart(900);
    const attacker = new ApiClient(reckon);
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => login(attacker, people[i % 4]!.account.email, `guess ${i}`)));
    const t = tally(res.map((r) => r.status));
    expect(t[401] ?? 0).toBeLessThanOrEqual(30);
    expect(t[429]).toBeGreaterThanOrEqual(10);
  });
});

describe('item 7: a browser that proved the password before is a known device, exempt from the slow-down', () => {
  const deviceOf = (client: ApiClient) => readSessionCookie(client.cookie)?.device;
  /** Uses up the account's per-minute slow-down from many addresses, as a spread-out attack does. */
  async function slowDown(email: string): Promise<void> {
    const attack = await Promise.all(Array.from({ length: 40 }, (_, i) => login(new ApiClient(reckon), email, `guess ${i}`)));
    expect(tally(attack.map((r) => r.status))[429]).toBeGreaterThanOrEqual(30);
  }
  const withDevice = (device: string) => {
    const client = new ApiClient(reckon);
    client.cookie = sessionCookieHeader({ guestTokens: [], device }, 60).split(';')[0];
    return client;
  };

  it('while guessing from many addresses has slowed the account, the owner signs in at once on a known device; an unknown browser still waits', async () => {
    const { client: owner, account } = await registeredClient(reckon);
    expect((await owner.post('/api/auth/logout')).status).toBe(204);
    expect(deviceOf(owner)).toBeTruthy(); // signing out keeps the device token, and only it
    expect(readSessionCookie(owner.cookie)?.user).toBeUndefined();
    atWindowStart(60);
    await slowDown(account.email);
    expect((await login(new ApiClient(reckon), account.email, account.password)).status).toBe(429);
    const back = await login(owner, account.email, account.password);
    expect(back.status).toBe(200);
    expect((await owner.get('/api/auth/me')).status).toBe(200);
  });

  it('a known device gets at most 10 tries in 15 minutes, even in a burst, and then waits; other browsers are not held up by it', async () => {
    const { client: owner, account } = await registeredClient(reckon);
    const advance = atWindowStart(900);
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => login(owner, account.email, `wrong ${i}`)));
    const t = tally(res.map((r) => r.status));
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(10);
    expect(t[429]).toBeGreaterThanOrEqual(30);
    advance(120);
    const locked = await login(owner, account.email, account.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect((await login(new ApiClient(reckon), account.email, account.password)).status).toBe(200);
  });

  it('known devices of one account get at most 30 tries in 15 minutes between them, even in a burst from eight of them', async () => {
    const { account } = await registeredClient(reckon);
    const devices = await Promise.all(Array.from({ length: 8 }, async () => {
      const browser = new ApiClient(reckon);
      expect((await login(browser, account.email, account.password)).status).toBe(200);
      return browser;
    }));
    atWindowStart(900);
    const res = await Promise.all(devices.flatMap((d) => Array.from({ length: 10 }, (_, i) => login(d, account.email, `wrong ${i}`))));
    const t = tally(res.map((r) => r.status));
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(30); // each device's own limit would let all 80 through
    expect(t[429]).toBeGreaterThanOrEqual(50);
  });

  it('known devices on one address get at most 100 password checks in 15 minutes between them, even in a burst', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, () => registeredClient(reckon)));
    atWindowStart(900);
    const address = new ApiClient(reckon); // one address, each request with another account's device cookie
    const res = await Promise.all(people.flatMap(({ client, account }) => Array.from({ length: 10 }, (_, i) =>
      address.post('/api/auth/login', { email: account.email, password: `wrong ${i}` }, { headers: { cookie: sessionCookieHeader({ guestTokens: [], device: deviceOf(client)! }, 60).split(';')[0] } }))));
    const t = tally(res.map((r) => r.status));
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(100); // each device and each account alone would let all 120 through
    expect(t[429]).toBeGreaterThanOrEqual(20);
  });

  it('signing in again keeps the device id, so the right password does not reset its lockout: the 11th sign-in in 15 minutes waits', async () => {
    const { client: owner, account } = await registeredClient(reckon);
    atWindowStart(900);
    const first = deviceOf(owner)!;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(owner, account.email, account.password)).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString());
    expect(claims(deviceOf(owner)!).jti).toBe(claims(first).jti);
  });

  it("a password change ends the device tokens made before it (another browser's too); the browser that changed it stays known", async () => {
    const { client: changer, account } = await registeredClient(reckon);
    const other = new ApiClient(reckon);
    expect((await login(other, account.email, account.password)).status).toBe(200);
    const oldDevice = deviceOf(other)!;
    const newPassword = `${account.password}-and-more`;
    expect((await changer.post('/api/auth/password', { currentPassword: account.password, newPassword })).status).toBe(204);
    expect(deviceOf(changer)).toBeTruthy();
    atWindowStart(60);
    await slowDown(account.email);
    expect((await login(withDevice(oldDevice), account.email, newPassword)).status).toBe(429);
    expect((await login(changer, account.email, newPassword)).status).toBe(200);
  });

  it('a device token does not outlive its account: erased, then registered again under the same email, the old token counts as none', async () => {
    const { client, account } = await registeredClient(reckon);
    const oldDevice = deviceOf(client)!;
    expect((await client.delete('/api/auth/me', { password: account.password })).status).toBe(204);
    const again = { ...account, password: `${account.password}-second` };
    expect((await new ApiClient(reckon).post('/api/auth/register', again)).status).toBe(201);
    atWindowStart(60);
    await slowDown(account.email);
    expect((await login(withDevice(oldDevice), account.email, again.password)).status).toBe(429);
  });

  it("another account's device token, a tampered one or a guest token in its place get an unknown browser's limits", async () => {
    const [{ client: other }, { account, user }] = await Promise.all([registeredClient(reckon), registeredClient(reckon)]);
    const otherDevice = deviceOf(other)!;
    const [header, payload, signature] = otherDevice.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: user.uid })).toString('base64url');
    const room = await newSession(await registeredClient(reckon));
    const { client: guestClient } = await guest(reckon, room.joinCode, 'Gus');
    const guestToken = readSessionCookie(guestClient.cookie)!.guestTokens[0]!;
    atWindowStart(60);
    await slowDown(account.email);
    for (const device of [otherDevice, `${header}.${forgedPayload}.${signature}`, `${otherDevice.slice(0, -2)}AA`, guestToken]) {
      expect((await login(withDevice(device), account.email, account.password)).status).toBe(429);
    }
  });

  it('the device token rides in the one cookie Hosting forwards, outlives signing out, and goes when the account is deleted', async () => {
    const { client, account } = await registeredClient(reckon);
    const out = await client.post('/api/auth/logout');
    const setCookie = out.headers['set-cookie']![0]!;
    expect(setCookie).toMatch(/^__session=d:[A-Za-z0-9_.-]+; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=15552000$/);
    // Nothing in it leads back to the person: it names the random uid, not the email.
    expect(Buffer.from(deviceOf(client)!.split('.')[1]!, 'base64url').toString()).not.toMatch(new RegExp(account.email.split('@')[0]!, 'i'));
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await login(client, account.email, account.password)).status).toBe(200);
    const erased = await client.delete('/api/auth/me', { password: account.password });
    expect(erased.status).toBe(204);
    expect(erased.headers['set-cookie']![0]).toMatch(/^__session=; .*Max-Age=0/);
  });

  it('a cookie that would pass 4096 bytes drops its oldest guest tokens, then the device token, never the user\'s tokens', () => {
    const big = (c: string) => `${c.repeat(1000)}.x`;
    const user = { accessToken: big('a'), refreshToken: big('r') };
    const header = sessionCookieHeader({ user, guestTokens: [big('1'), big('2'), big('3'), big('4')], device: big('d') }, 60);
    const value = header.split(';')[0]!;
    expect(value.length).toBeLessThanOrEqual(4096);
    const read = readSessionCookie(value)!;
    expect(read.user).toEqual(user);
    expect(read.guestTokens).toEqual([big('1')]);
    expect(read.device).toBe(big('d'));
    // When the user's tokens alone fill it, nothing else is kept beside them.
    const full = sessionCookieHeader({ user: { accessToken: big('a').repeat(3), refreshToken: big('r') }, guestTokens: [big('1')], device: big('d') }, 60);
    expect(readSessionCookie(full.split(';')[0])).toEqual({ user: { accessToken: big('a').repeat(3), refreshToken: big('r') }, guestTokens: [] });
  });
});

describe('item 7: an IPv6 address counts as its /64 for every per-address limit', () => {
  it('addresses of one IPv6 /64 share the per-address wall: 50 guesses at once from 50 of them get at most 30 checked; the next /64 is not held up', async () => {
    const accounts = await Promise.all(Array.from({ length: 5 }, () => registeredClient(reckon)));
    atWindowStart(900);
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      login(new ApiClient(reckon, { address: `2001:db8:72:1:${(i + 1).toString(16)}::${i + 7}` }), accounts[i % 5]!.account.email, `guess ${i}`)));
    const t = tally(res.map((r) => r.status));
    expect([401, 429]).toEqual(expect.arrayContaining(Object.keys(t).map(Number)));
    expect(t[401] ?? 0).toBeLessThanOrEqual(30); // each address alone would let all 50 through
    expect(t[429]).toBeGreaterThanOrEqual(20);
    const { account } = accounts[0]!;
    expect((await login(new ApiClient(reckon, { address: '2001:db8:72:2::1' }), account.email, account.password)).status).toBe(200);
  });

  it('an IPv4-mapped IPv6 address is its IPv4 address: switching between the two spellings buys no second budget', async () => {
    const people = await Promise.all(Array.from({ length: 4 }, () => registeredClient(reckon)));
    atWindowStart(900);
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      login(new ApiClient(reckon, { address: i % 2 ? '198.51.100.77' : '::ffff:198.51.100.77' }), people[i % 4]!.account.email, `guess ${i}`)));
    const t = tally(res.map((r) => r.status));
    expect(t[401] ?? 0).toBeLessThanOrEqual(30);
    expect(t[429]).toBeGreaterThanOrEqual(10);
  });
});

describe('item 7: a network the account signed in from skips the slow-down', () => {
  const DAY_S = 86_400;
  /** Ten wrong passwords at once from an address of their own: the per-minute slow-down's whole budget. */
  async function tenGuesses(email: string): Promise<void> {
    const attacker = new ApiClient(reckon);
    const res = await Promise.all(Array.from({ length: 10 }, (_, i) => login(attacker, email, `guess ${i}`)));
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(401));
  }
  /** An account registered from `address`, which becomes its first known network. */
  async function registeredAt(address: string) {
    const account = newAccount();
    expect((await new ApiClient(reckon, { address }).post('/api/auth/register', account)).status).toBe(201);
    return account;
  }

  it('the owner on a new browser on a network they signed in from signs in at once, minute after minute, while 10 wrong passwords a minute arrive from elsewhere', async () => {
    const { client: home, account } = await registeredClient(reckon);
    const advance = atWindowStart(60);
    for (let minute = 0; minute < 3; minute++) {
      await tenGuesses(account.email);
      // An unknown browser elsewhere waits: the slow-down holds.
      expect((await login(new ApiClient(reckon), account.email, account.password)).status).toBe(429);
      const newBrowser = new ApiClient(reckon, { address: home.address }); // no device token
      const res = await login(newBrowser, account.email, account.password);
      expect(res.status, `minute ${minute}`).toBe(200);
      expect((await newBrowser.get('/api/auth/me')).status).toBe(200);
      advance(60);
    }
  });

  it('a network is known by its /64 and for 90 days: a neighbouring /64 still waits, and so does the same one 91 days after its last sign-in', async () => {
    const account = await registeredAt('2001:db8:70:1::a');
    atWindowStart(60);
    await tenGuesses(account.email);
    expect((await login(new ApiClient(reckon, { address: '2001:db8:70:1:ffff::b' }), account.email, account.password)).status).toBe(200);
    expect((await login(new ApiClient(reckon, { address: '2001:db8:70:2::a' }), account.email, account.password)).status).toBe(429);
    vi.setSystemTime(Date.now() + 91 * DAY_S * 1000);
    atWindowStart(60);
    await tenGuesses(account.email);
    expect((await login(new ApiClient(reckon, { address: '2001:db8:70:1::a' }), account.email, account.password)).status).toBe(429);
  });

  it('an entry 91 days old is gone from the export even though no sign-in has pruned it since', async () => {
    const account = await registeredAt('2001:db8:72:1::a');
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() });
    const office = new ApiClient(reckon, { address: '2001:db8:72:2::a' });
    expect((await login(office, account.email, account.password)).status).toBe(200);
    // 89 days on the owner signs in at home: a write that keeps the office (89 days old).
    vi.setSystemTime(Date.now() + 89 * DAY_S * 1000);
    const home = new ApiClient(reckon, { address: '2001:db8:72:3::a' });
    expect((await login(home, account.email, account.password)).status).toBe(200);
    // Two days on, with no sign-in since: the office was last seen 91 days ago.
    vi.setSystemTime(Date.now() + 2 * DAY_S * 1000);
    expect((await home.post('/api/auth/refresh')).status).toBe(200);
    const res = await home.get('/api/auth/me/export');
    expect(res.status).toBe(200);
    expect(res.json.knownNetworks).toEqual([{ network: '2001:db8:72:3::/64', lastSignInAt: expect.any(String) }]);
  });

  it('a password change keeps only the network it was made from: another network the account signed in from waits again', async () => {
    const { client: home, account } = await registeredClient(reckon);
    const office = new ApiClient(reckon, { address: '2001:db8:71:1::1' });
    expect((await login(office, account.email, account.password)).status).toBe(200);
    const newPassword = `${account.password} and more`;
    expect((await home.post('/api/auth/password', { currentPassword: account.password, newPassword })).status).toBe(204);
    atWindowStart(60);
    await tenGuesses(account.email);
    expect((await login(new ApiClient(reckon, { address: '2001:db8:71:1::2' }), account.email, newPassword)).status).toBe(429);
    expect((await login(new ApiClient(reckon, { address: home.address }), account.email, newPassword)).status).toBe(200);
  });
});
