// Register, sign in, sign out and refresh, over HTTP against the real functions.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon(); });
afterAll(async () => { await reckon.close(); });

describe('register', () => {
  it('creates the user, a personal tenant where they are admin, and signs them in', async () => {
    const client = new ApiClient(reckon);
    const account = newAccount({ email: 'Ada.Lovelace@Example.com', displayName: 'Ada' });
    const res = await client.post('/api/auth/register', account);
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ email: 'ada.lovelace@example.com', displayName: 'Ada' });
    expect(res.json.user.uid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.json.tenant).toMatchObject({ name: "Ada's team", role: 'admin' });
    expect(res.text).not.toContain('passwordHash');
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.json.memberships).toEqual([{ tenantId: res.json.tenant.tenantId, tenantName: "Ada's team", role: 'admin' }]);
  });

  it('sets one __session cookie: HttpOnly, Secure, SameSite=Strict, Path=/, no Domain', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount());
    const cookies = res.headers['set-cookie'] ?? [];
    expect(cookies).toHaveLength(1);
    // It lives as long as its longest-lived token, the device token (180 days); the refresh token
    // inside still ends after 7 days on the server.
    expect(cookies[0]).toMatch(/^__session=[^;]+~d:[^;]+; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=15552000$/);
    expect(cookies[0]).not.toMatch(/Domain=/i);
  });

  it('stores the password as an argon2id hash with OWASP parameters', async () => {
    const { user } = await registeredClient(reckon);
    const stored = (await newFirestore({ projectId: reckon.projectId }).doc(`users/${user.uid}`).get()).get('passwordHash');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const account = newAccount();
    expect((await new ApiClient(reckon).post('/api/auth/register', account)).status).toBe(201);
    const again = await new ApiClient(reckon).post('/api/auth/register', { ...account, email: account.email.toUpperCase() });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('email_taken');
  });

  it('lets exactly one of ten simultaneous registrations of one email through', async () => {
    const account = newAccount();
    const results = await Promise.all(Array.from({ length: 10 }, () => new ApiClient(reckon).post('/api/auth/register', account)));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
  });
});

describe('login', () => {
  it('signs in with the right password, with the email in any case', async () => {
    const { account } = await registeredClient(reckon);
    const client = new ApiClient(reckon);
    const res = await client.post('/api/auth/login', { email: account.email.toUpperCase(), password: account.password });
    expect(res.status).toBe(200);
    expect(res.json.user.email).toBe(account.email);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('answers an unknown email and a wrong password the same way', async () => {
    const { account } = await registeredClient(reckon);
    const wrong = await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: 'not the password' });
    const unknown = await new ApiClient(reckon).post('/api/auth/login', { email: 'nobody-here@example.com', password: 'not the password' });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.json.error).toMatchObject({ code: 'invalid_credentials', message: 'The email or password is not right.' });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
  });

  it('slows failed logins per account: the 11th within a minute, from anywhere, answers 429 with Retry-After', async () => {
    const { account } = await registeredClient(reckon);
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Math.ceil(Date.now() / 60_000) * 60_000 + 100 });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 11; i++) {
        last = await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: `wrong ${i}` });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
      expect(last!.json.error.code).toBe('rate_limited');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Within the minute even the right password waits (test/security/rate-limits.test.ts: not for long).
      expect((await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: account.password })).status).toBe(429);
    } finally {
      vi.useRealTimers();
    }
  });

  it('records on the user the networks signed in from with the password: an IPv6 one as its /64, written at most once a day', async () => {
    const { client, user, account } = await registeredClient(reckon);
    const db = newFirestore({ projectId: reckon.projectId });
    const read = () => db.doc(`users/${user.uid}`).get();
    const registered = await read();
    expect(registered.get('knownNetworks')).toEqual({ [client.address]: registered.get('createdAt').toMillis() });
    const signIn = (address: string, password = account.password) => new ApiClient(reckon, { address }).post('/api/auth/login', { email: account.email, password });
    expect((await signIn('2001:DB8:73:1::1')).status).toBe(200);
    const first = await read();
    expect(Object.keys(first.get('knownNetworks')).sort()).toEqual([client.address, '2001:db8:73:1::/64'].sort());
    expect((await signIn('2001:db8:73:1:abcd::2')).status).toBe(200); // the same /64, within a day: nothing written
    expect((await signIn('2001:db8:74:1::1', 'wrong password')).status).toBe(401); // a wrong password records nothing
    expect((await read()).updateTime!.isEqual(first.updateTime!)).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + 86_400_000 + 1000 });
    try {
      expect((await signIn('2001:db8:73:1::3')).status).toBe(200); // a day on: seen again
      const later = (await read()).get('knownNetworks');
      expect(later['2001:db8:73:1::/64']).toBeGreaterThan(first.get('knownNetworks')['2001:db8:73:1::/64'] + 86_400_000);
      expect(Object.keys(later)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps no email or IP in rate-limit document ids', async () => {
    const { account } = await registeredClient(reckon);
    await new ApiClient(reckon).post('/api/auth/login', { email: account.email, password: 'wrong password' });
    const ids = (await newFirestore({ projectId: reckon.projectId }).collection('rateLimits').listDocuments()).map((d) => d.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('logout and refresh', () => {
  it("logout takes the user's tokens out of the cookie (only the device token stays) and ends the session: its refresh token no longer works", async () => {
    const { client } = await registeredClient(reckon);
    const saved = client.cookie;
    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers['set-cookie']?.[0]).toMatch(/^__session=d:[A-Za-z0-9_.-]+; /);
    client.cookie = saved;
    expect((await client.post('/api/auth/refresh')).status).toBe(401);
  });

  it('refresh rotates the refresh token and keeps the user signed in', async () => {
    const { client, user } = await registeredClient(reckon);
    const before = client.cookie;
    const res = await client.post('/api/auth/refresh');
    expect(res.status).toBe(200);
    expect(res.json.user.uid).toBe(user.uid);
    expect(client.cookie).not.toBe(before);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('a reused refresh token revokes its whole family', async () => {
    const { client } = await registeredClient(reckon);
    const stolen = client.cookie;
    expect((await client.post('/api/auth/refresh')).status).toBe(200);
    const attacker = new ApiClient(reckon);
    attacker.cookie = stolen;
    const replay = await attacker.post('/api/auth/refresh');
    expect(replay.status).toBe(401);
    // The legitimate user's newer token belongs to the same family, so it is revoked too.
    expect((await client.post('/api/auth/refresh')).status).toBe(401);
  });

  it('refresh without a session answers 401', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/refresh');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthenticated');
  });
});
