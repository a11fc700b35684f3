// Hostile input to the auth endpoints: each is refused with the right status and changes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { hkdfSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';

const KEY_OLD = Buffer.alloc(32, 7).toString('base64');
const KEY_NEW = Buffer.alloc(32, 9).toString('base64');

let reckon: Reckon;
let db: ReturnType<typeof newFirestore>;
beforeAll(async () => {
  reckon = await startReckon({ RECKON_TOKEN_KEYS: JSON.stringify([{ kid: 'k2', secret: KEY_NEW }, { kid: 'k1', secret: KEY_OLD }]) });
  db = newFirestore({ projectId: reckon.projectId });
});
afterAll(async () => { await reckon.close(); });

const userCount = async () => (await db.collection('users').count().get()).data().count;

describe('hostile registrations', () => {
  const ok = newAccount();
  it.each<[string, unknown, number]>([
    ['email of the wrong type', { ...ok, email: 12345 }, 400],
    ['password of the wrong type', { ...ok, password: ['correct', 'horse'] }, 400],
    ['a missing password', { email: ok.email, displayName: 'X' }, 400],
    ['a missing body', undefined, 400],
    ['an array body', [ok], 400],
    ['an extra field asking for admin', { ...ok, role: 'admin' }, 400],
    ['an extra tenantId', { ...ok, tenantId: 'someone-elses' }, 400],
    ['a 10,000-character email', { ...ok, email: `${'a'.repeat(10_000)}@example.com` }, 400],
    ['a 129-character password', { ...ok, password: 'p'.repeat(129) }, 400],
    ['a 7-character password', { ...ok, password: 'seven77' }, 400],
    ['a display name with a right-to-left override', { ...ok, displayName: 'Admin\u202Egnp.exe' }, 400],
    ['a display name with zero-width characters', { ...ok, displayName: 'Ad\u200Bmin' }, 400],
    ['a display name of only spaces', { ...ok, displayName: '    ' }, 400],
    ['an email with a Cyrillic look-alike letter', { ...ok, email: 'p\u0430ypal@example.com' }, 400],
    ['an email with a newline (header injection)', { ...ok, email: 'a@example.com\nBcc: b@example.com' }, 400],
    ['a 61-character display name', { ...ok, displayName: 'n'.repeat(61) }, 400],
  ])('refuses %s', async (_name, body, status) => {
    const before = await userCount();
    const res = await new ApiClient(reckon).request('POST', '/api/auth/register', body === undefined ? {} : { rawBody: JSON.stringify(body) });
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe('invalid_request');
    expect(await userCount()).toBe(before);
  });

  it.each<[string, string]>([
    ['a top-level __proto__ key', `{"email":"proto1@example.com","password":"long enough","displayName":"P","__proto__":{"role":"admin"}}`],
    ['a nested constructor key', `{"email":"proto2@example.com","password":"long enough","displayName":{"constructor":{"prototype":{}}}}`],
  ])('refuses %s', async (_name, raw) => {
    const res = await new ApiClient(reckon).request('POST', '/api/auth/register', { rawBody: raw });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  // functions-framework's JSON parser (strict: objects and arrays only) answers these itself.
  it.each([['malformed JSON', '{"email": "a@example.com", '], ['a bare null', 'null'], ['a bare string', '"register me"']])('refuses %s with 400 before any handler runs', async (_name, raw) => {
    const before = await userCount();
    const res = await new ApiClient(reckon).request('POST', '/api/auth/register', { rawBody: raw });
    expect(res.status).toBe(400);
    expect(await userCount()).toBe(before);
  });

  it('accepts a password of 8 emoji (counted in characters, not bytes)', async () => {
    const res = await new ApiClient(reckon).post('/api/auth/register', newAccount({ password: '🎲🎲🎲🎲🎲🎲🎲🎲' }));
    expect(res.status).toBe(201);
  });
});

describe('forged and misused tokens', () => {
  const purposeKey = (secret: string, purpose: string) => new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'base64'), Buffer.alloc(0), `reckon:${purpose}:v1`, 32));
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (uid: string) => ({ roles: {}, sub: uid });

  async function token(opts: { secret?: string; kid?: string; purpose?: string; typ?: string; iss?: string; aud?: string; exp?: number; nbf?: number; alg?: string; extraHeader?: object } = {}, uid = 'uid-x') {
    const key = purposeKey(opts.secret ?? KEY_NEW, opts.purpose ?? 'access');
    return new SignJWT(claims(uid))
      .setProtectedHeader({ alg: (opts.alg as 'HS256') ?? 'HS256', kid: opts.kid ?? 'k2', typ: opts.typ ?? 'reckon-access+jwt', ...opts.extraHeader })
      .setIssuer(opts.iss ?? 'reckon').setAudience(opts.aud ?? 'reckon:api')
      .setIssuedAt().setNotBefore(opts.nbf ?? now()).setExpirationTime(opts.exp ?? now() + 600)
      .sign(key);
  }

  async function meWith(accessToken: string) {
    const { client } = await registeredClient(reckon);
    const refresh = client.cookie!.split('~')[1];
    client.cookie = `__session=${accessToken}~${refresh}`;
    return client.get('/api/auth/me');
  }

  it('accepts a well-formed token signed with the current key (control)', async () => {
    const { client, user } = await registeredClient(reckon);
    client.cookie = `__session=${await token({}, user.uid)}~${client.cookie!.split('~')[1]}`;
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('accepts a token signed with an older key that is still listed (rotation)', async () => {
    const { client, user } = await registeredClient(reckon);
    client.cookie = `__session=${await token({ secret: KEY_OLD, kid: 'k1' }, user.uid)}~${client.cookie!.split('~')[1]}`;
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['alg: none', async () => new UnsecuredJWT(claims('uid-x')).setIssuer('reckon').setAudience('reckon:api').setIssuedAt().setNotBefore(now()).setExpirationTime(now() + 600).encode(), 'unauthenticated'],
    ['a token signed with another key', () => token({ secret: Buffer.alloc(32, 1).toString('base64') }), 'unauthenticated'],
    ['an unknown kid', () => token({ kid: 'k9' }), 'unauthenticated'],
    ['an expired token', () => token({ exp: now() - 60, nbf: now() - 1000 }), 'token_expired'],
    ['a token not valid yet', () => token({ nbf: now() + 600 }), 'unauthenticated'],
    ['another issuer', () => token({ iss: 'someone-else' }), 'unauthenticated'],
    ['another audience', () => token({ aud: 'reckon:admin' }), 'unauthenticated'],
    ['a guest token presented as an access token', () => token({ typ: 'reckon-guest+jwt', purpose: 'guest' }), 'unauthenticated'],
    ['the access typ signed with the guest key', () => token({ purpose: 'guest' }), 'unauthenticated'],
    ['a jku header pointing at an attacker key', () => token({ secret: Buffer.alloc(32, 3).toString('base64'), extraHeader: { jku: 'https://evil.example/keys' } }), 'unauthenticated'],
    ['garbage', async () => 'not.a.jwt', 'unauthenticated'],
  ])('refuses %s', async (_name, make, code) => {
    const res = await meWith(await make());
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe(code);
  });

  it('refuses a refresh token that was tampered with', async () => {
    const { client } = await registeredClient(reckon);
    const [access, refresh] = client.cookie!.slice('__session='.length).split('~');
    client.cookie = `__session=${access}~${refresh!.slice(0, -2)}AA`;
    expect((await client.post('/api/auth/refresh')).status).toBe(401);
  });
});
