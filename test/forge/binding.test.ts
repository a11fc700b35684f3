// Binding a Jira site to a team, proven by Atlassian: a one-time connect code from a team admin,
// sent by the Forge app with a Forge Invocation Token that Reckon verifies against the platform's
// JWKS (a fake server here). The old attacks on hand-typed cloud ids (the oracle, squatting, the
// takeover after a revoke) and a table of bad tokens, each refused without changing anything.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump, newFirestore } from '../support/firestore.js';
import { teammate, type Person } from '../support/rooms.js';
import { startFakeForge, type FakeForge, type ForgeSite } from '../support/fakes/forge.js';
import { attestedCall, bindSite, connectCode } from '../support/forge.js';
import { sendSigned } from '../../shared/forge/signing-client.js';

let reckon: Reckon;
let forge: FakeForge;
let otherApp: FakeForge;
let acme: Person;
let globex: Person;

beforeAll(async () => {
  forge = await startFakeForge();
  otherApp = await startFakeForge();
  // Limits off: this file asks for many more connect codes than an admin would in an hour.
  reckon = await startReckon({ ...forge.env, RECKON_POLL_CACHE_MS: '0', RECKON_RATE_LIMITS: 'off' });
  acme = await registeredClient(reckon);
  globex = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); await forge.close(); await otherApp.close(); });

const estimates = async (cloudId: string, secret: string) => {
  const res = await sendSigned(reckon.url, { secrets: [secret], cloudId, method: 'GET', path: '/api/forge/estimates?keys=POKER-1' });
  return { status: res.status, json: res.body as any };
};

describe('connect codes', () => {
  it('are made by team admins only, shown once, stored only hashed, and last ten minutes', async () => {
    const res = await acme.client.post('/api/forge/connect-codes', { tenantId: acme.tenant.tenantId });
    expect(res.status).toBe(201);
    expect(res.json.code).toMatch(/^rkc_[A-Za-z0-9_-]{22}$/);
    const minutes = (Date.parse(res.json.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    expect(await databaseDump(reckon.projectId)).not.toContain(res.json.code);
    const member = await teammate(reckon, acme, 'member');
    expect((await member.client.post('/api/forge/connect-codes', { tenantId: acme.tenant.tenantId })).status).toBe(403);
    expect((await globex.client.post('/api/forge/connect-codes', { tenantId: acme.tenant.tenantId })).status).toBe(404);
  });

  it('bind the site named by the token to the code’s team and hand over the secret once', async () => {
    const site = forge.newSite();
    const bound = await bindSite(reckon, forge, acme, site);
    expect(bound.res.status).toBe(201);
    expect(bound.res.json.installation).toMatchObject({ cloudId: site.cloudId, tenantId: acme.tenant.tenantId, installationId: site.installationId, environment: 'PRODUCTION', status: 'active' });
    expect(bound.secret).toMatch(/^rkf_[A-Za-z0-9_-]{43}$/);
    expect((await estimates(site.cloudId, bound.secret)).status).toBe(200);
    const list = await acme.client.get(`/api/forge/installations?tenantId=${acme.tenant.tenantId}`);
    expect(list.json.installations.map((i: { cloudId: string }) => i.cloudId)).toContain(site.cloudId);
    expect(list.text).not.toContain(bound.secret);
    expect(await databaseDump(reckon.projectId)).not.toContain(bound.secret);
  });

  it('work once: a second bind with the same code is refused, and of a burst exactly one wins', async () => {
    const code = await connectCode(acme);
    expect((await bindSite(reckon, forge, acme, forge.newSite(), { code })).res.status).toBe(201);
    const again = await bindSite(reckon, forge, acme, forge.newSite(), { code });
    expect([again.res.status, again.res.json.error.code]).toEqual([403, 'forge_connect_code_invalid']);
    const burstCode = await connectCode(acme);
    const burst = await Promise.all(Array.from({ length: 6 }, () => bindSite(reckon, forge, acme, forge.newSite(), { code: burstCode })));
    expect(burst.filter((b) => b.res.status === 201)).toHaveLength(1);
    expect(burst.filter((b) => b.res.status !== 201).every((b) => b.res.json.error.code === 'forge_connect_code_invalid' || b.res.status === 409)).toBe(true);
  });

  it('expire after ten minutes', async () => {
    const code = await connectCode(acme);
    const db = newFirestore({ projectId: reckon.projectId });
    const docs = await db.collection('forgeConnectCodes').where('tenantId', '==', acme.tenant.tenantId).get();
    await Promise.all(docs.docs.map((d) => d.ref.update({ expiresAt: new Date(Date.now() - 1000) })));
    const late = await bindSite(reckon, forge, acme, forge.newSite(), { code });
    expect([late.res.status, late.res.json.error.code]).toEqual([403, 'forge_connect_code_invalid']);
  });
});

describe('a connect code dies with its creator’s admin role', () => {
  it.each([
    ['is made a member', (uid: string) => acme.client.patch(`/api/teams/${acme.tenant.tenantId}/members/${uid}`, { role: 'member' })],
    ['leaves the team (removed)', (uid: string) => acme.client.delete(`/api/teams/${acme.tenant.tenantId}/members/${uid}`)],
  ])('refuses the code of an admin who %s before it is used, as it refuses an unknown code, and writes nothing', async (_name, demote) => {
    const admin = await teammate(reckon, acme, 'admin');
    const code = await connectCode(admin, acme.tenant.tenantId);
    expect([200, 204]).toContain((await demote(admin.user.uid)).status);
    const unknown = await bindSite(reckon, forge, acme, forge.newSite(), { code: `rkc_${'Z'.repeat(22)}` });
    const before = await databaseDump(reckon.projectId);
    const late = await bindSite(reckon, forge, acme, forge.newSite(), { code });
    const answer = (r: typeof late) => [r.res.status, r.res.json.error.code, r.res.json.error.message];
    expect(answer(late)).toEqual(answer(unknown));
    expect(late.res.json.error.code).toBe('forge_connect_code_invalid');
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('still works for an admin who stays one', async () => {
    const admin = await teammate(reckon, acme, 'admin');
    expect((await bindSite(reckon, forge, acme, forge.newSite(), { code: await connectCode(admin, acme.tenant.tenantId) })).res.status).toBe(201);
  });
});

describe('what typing a cloud id allowed, now refused', () => {
  it('has no route to register a cloud id by hand', async () => {
    const res = await acme.client.post('/api/forge/installations', { tenantId: acme.tenant.tenantId, cloudId: forge.newSite().cloudId });
    expect(res.status).toBe(405);
  });

  it('gives no oracle: without a token of the site, nothing tells whether it is bound', async () => {
    const taken = (await bindSite(reckon, forge, acme)).site;
    const free = forge.newSite();
    const code = await connectCode(globex);
    const answers = await Promise.all([taken, free].map(async (site) => {
      const res = await attestedCall(reckon, '/api/forge/bind', await otherApp.invocationToken(site), { code });
      return `${res.status} ${res.json.error.code}`;
    }));
    expect(answers).toEqual(['401 forge_token_invalid', '401 forge_token_invalid']);
  });

  it('stops squatting: a team cannot bind a site it has no token of, and the owner binds it later', async () => {
    const victim = forge.newSite();
    // Globex only has tokens of its own site; the cloud id in the body is not even read.
    const own = forge.newSite();
    const code = await connectCode(globex);
    const res = await attestedCall(reckon, '/api/forge/bind', await forge.invocationToken(own), { code, cloudId: victim.cloudId });
    expect([res.status, res.json.error.code]).toEqual([400, 'invalid_request']);
    expect((await bindSite(reckon, forge, acme, victim)).res.status).toBe(201);
  });

  it('refuses a second team binding a bound site, even with a valid token of that site', async () => {
    const site = forge.newSite();
    expect((await bindSite(reckon, forge, acme, site)).res.status).toBe(201);
    const before = await databaseDump(reckon.projectId);
    const code = await connectCode(globex);
    const mid = await databaseDump(reckon.projectId);
    const second = await bindSite(reckon, forge, globex, site, { code });
    expect([second.res.status, second.res.json.error.code]).toEqual([409, 'forge_site_bound_elsewhere']);
    expect(await databaseDump(reckon.projectId)).toBe(mid);
    expect(before).not.toBe(mid); // the code itself was stored
  });

  it('stops the takeover: after a revoke only the site’s own app can bind it again, and the owner can', async () => {
    const site = forge.newSite();
    const first = await bindSite(reckon, forge, acme, site);
    expect((await acme.client.post(`/api/forge/installations/${site.cloudId}/revoke`)).status).toBe(200);
    expect((await estimates(site.cloudId, first.secret)).json.error.code).toBe('forge_installation_revoked');
    // A re-install (a new installation id) binds again with a new code; the old secret stays dead.
    const reinstall = { cloudId: site.cloudId, installationId: forge.newSite().installationId };
    const again = await bindSite(reckon, forge, acme, reinstall);
    expect(again.res.status).toBe(201);
    expect((await estimates(site.cloudId, first.secret)).json.error.code).toBe('forge_signature_invalid');
    expect((await estimates(site.cloudId, again.secret)).status).toBe(200);
  });
});

describe('secret rotation through the attested channel', () => {
  it('gives the bound installation a new secret; the old one works for the overlap; another installation id is refused', async () => {
    const bound = await bindSite(reckon, forge, acme);
    const rotated = await attestedCall(reckon, '/api/forge/secret/rotate', await forge.invocationToken(bound.site));
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(bound.secret);
    expect(rotated.json.installation.previousSecretValidUntil).not.toBeNull();
    expect((await estimates(bound.cloudId, rotated.json.secret)).status).toBe(200);
    expect((await estimates(bound.cloudId, bound.secret)).status).toBe(200);
    const stranger = await attestedCall(reckon, '/api/forge/secret/rotate', await forge.invocationToken({ ...bound.site, installationId: forge.newSite().installationId }));
    expect([stranger.status, stranger.json.error.code]).toEqual([409, 'forge_site_not_bound']);
    const unbound = await attestedCall(reckon, '/api/forge/secret/rotate', await forge.invocationToken(forge.newSite()));
    expect([unbound.status, unbound.json.error.code]).toEqual([409, 'forge_site_not_bound']);
  });

  it('is not something a team admin can do from the browser any more', async () => {
    const bound = await bindSite(reckon, forge, acme);
    expect((await acme.client.post(`/api/forge/installations/${bound.cloudId}/rotate`)).status).toBe(404);
  });
});

describe('bad invocation tokens', () => {
  let site: ForgeSite;
  beforeAll(() => { site = forge.newSite(); });
  const app = () => ({ id: forge.appAri, installationId: site.installationId, apiBaseUrl: `https://api.atlassian.com/ex/jira/${site.cloudId}`, environment: { type: 'PRODUCTION', id: 'x' } });

  it.each<[string, () => Promise<string>]>([
    ['another audience', () => forge.invocationToken(site, { claims: { aud: 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000' } })],
    ['another issuer', () => forge.invocationToken(site, { claims: { iss: 'https://evil.example' } })],
    ['an expired token', () => forge.invocationToken(site, { shiftS: -120 })],
    ['a future nbf', () => forge.invocationToken(site, { claims: { nbf: Math.floor(Date.now() / 1000) + 120 } })],
    ['a missing jti', () => forge.invocationToken(site, { claims: { jti: undefined } })],
    ['a missing nbf', () => forge.invocationToken(site, { claims: { nbf: undefined } })],
    ['a missing iat', () => forge.invocationToken(site, { claims: { iat: undefined } })],
    ['a token older than a minute', () => forge.invocationToken(site, { claims: { iat: Math.floor(Date.now() / 1000) - 300, nbf: Math.floor(Date.now() / 1000) - 300, exp: Math.floor(Date.now() / 1000) + 20 } })],
    ['alg none', () => forge.invocationToken(site, { forgery: 'none' })],
    ['HS256 keyed with the public key', () => forge.invocationToken(site, { forgery: 'hs256-public' })],
    ['an unknown kid', () => forge.invocationToken(site, { forgery: 'unknown-kid' })],
    ['a token of another app (its own JWKS-valid key, its own audience)', () => otherApp.invocationToken(site)],
    ['a token naming another app in app.id', () => forge.invocationToken(site, { claims: { app: { ...app(), id: otherApp.appAri } } })],
    ['a development-environment token', () => forge.invocationToken(site, { claims: { app: { ...app(), environment: { type: 'DEVELOPMENT', id: 'x' } } } })],
    ['context.cloudId differing from the base URL’s site', () => forge.invocationToken(site, { claims: { context: { cloudId: forge.newSite().cloudId } } })],
    ['a Confluence base URL', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com/ex/confluence/${site.cloudId}` } } })],
    ['a base URL on another host', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.evil.example/ex/jira/${site.cloudId}` } } })],
    ['a base URL on a look-alike host', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com.evil.example/ex/jira/${site.cloudId}` } } })],
    ['a base URL over plain http', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `http://api.atlassian.com/ex/jira/${site.cloudId}` } } })],
    ['a base URL with user info', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://evil.example@api.atlassian.com/ex/jira/${site.cloudId}` } } })],
    ['a base URL on another port', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com:8443/ex/jira/${site.cloudId}` } } })],
    ['a base URL whose host ends in a dot', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com./ex/jira/${site.cloudId}` } } })],
    ['a base URL with a percent-encoded look-alike host', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com%2eevil.example/ex/jira/${site.cloudId}` } } })],
    ['a base URL with a backslash before an @', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://evil.example\\@api.atlassian.com/ex/jira/${site.cloudId}` } } })],
    ['a base URL with an IP host', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://104.192.142.1/ex/jira/${site.cloudId}` } } })],
    ['a base URL naming two sites', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com/ex/jira/${forge.newSite().cloudId}/ex/jira/${site.cloudId}` } } })],
    ['a base URL with the site deeper in another path', () => forge.invocationToken(site, { claims: { app: { ...app(), apiBaseUrl: `https://api.atlassian.com/proxy/ex/jira/${site.cloudId}` } } })],
    ['an iat 30 seconds in the future', () => forge.invocationToken(site, { claims: { iat: Math.floor(Date.now() / 1000) + 30 } })],
    ['a jti over 200 characters', () => forge.invocationToken(site, { claims: { jti: 'j'.repeat(201) } })],
    ['a staging token when only production is accepted', () => forge.invocationToken(site, { claims: { app: { ...app(), environment: { type: 'STAGING', id: 'x' } } } })],
    ['a token without app claims', () => forge.invocationToken(site, { claims: { app: undefined } })],
    ['garbage', async () => 'not-a-jwt-at-all-but-long-enough'],
  ])('refuses %s (401, nothing written)', async (_name, token) => {
    const code = await connectCode(acme);
    const before = await databaseDump(reckon.projectId);
    const res = await attestedCall(reckon, '/api/forge/bind', await token(), { code });
    expect([res.status, res.json.error.code]).toEqual([401, 'forge_token_invalid']);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('refuses a call without a token, and a replayed jti (even with a fresh code), and a burst of one token binds once', async () => {
    const code = await connectCode(acme);
    const none = await new (await import('../support/reckon.js')).ApiClient(reckon).request('POST', '/api/forge/bind', { body: { code }, headers: { origin: undefined } });
    expect([none.status, none.json.error.code]).toEqual([401, 'forge_token_invalid']);
    const token = await forge.invocationToken(site);
    expect((await attestedCall(reckon, '/api/forge/bind', token, { code })).status).toBe(201);
    const replay = await attestedCall(reckon, '/api/forge/bind', token, { code: await connectCode(acme) });
    expect([replay.status, replay.json.error.code]).toEqual([401, 'forge_token_invalid']);
    const one = await forge.invocationToken(forge.newSite());
    const codes = await Promise.all(Array.from({ length: 5 }, () => connectCode(acme)));
    const burst = await Promise.all(codes.map((c) => attestedCall(reckon, '/api/forge/bind', one, { code: c })));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('refuses binding altogether when no app id is configured', async () => {
    const bare = await startReckon({ RECKON_FORGE_JWKS_URL: forge.jwksUrl });
    try {
      const admin = await registeredClient(bare);
      const res = await attestedCall(bare, '/api/forge/bind', await forge.invocationToken(site), { code: await connectCode(admin) });
      expect([res.status, res.json.error.code]).toEqual([401, 'forge_token_invalid']);
    } finally {
      await bare.close();
    }
  });

  it('answers 503, not a token error, while Atlassian’s keys cannot be fetched (down, or garbage), and writes nothing', async () => {
    const garbage = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"keys": 5}'); });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    try {
      for (const jwksUrl of ['http://127.0.0.1:1/jwks.json', `http://127.0.0.1:${(garbage.address() as AddressInfo).port}/jwks.json`]) {
        const cut = await startReckon({ ...forge.env, RECKON_FORGE_JWKS_URL: jwksUrl });
        try {
          const code = await connectCode(await registeredClient(cut));
          const before = await databaseDump(cut.projectId);
          const res = await attestedCall(cut, '/api/forge/bind', await forge.invocationToken(site), { code });
          expect([res.status, res.json.error.code]).toEqual([503, 'unavailable']);
          expect(await databaseDump(cut.projectId)).toBe(before);
        } finally {
          await cut.close();
        }
      }
    } finally {
      garbage.closeAllConnections(); garbage.close();
    }
  });
});
