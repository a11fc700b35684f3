// Clients, session assignment and portal links over HTTP (issue #17 items 1-3): what team admins
// manage, what redeeming a link grants, and that a link is spent exactly once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { newSession, teammate } from '../support/rooms.js';
import { refusedWithoutChange, stateOf } from '../teams/support.js';
import { newClient, newLink, portalUser, redeem, type Person } from './support.js';

let reckon: Reckon;
let admin: Person; let member: Person; let other: Person;
let team: string;

beforeAll(async () => {
  reckon = await startReckon();
  [admin, other] = await Promise.all([registeredClient(reckon), registeredClient(reckon)]);
  team = admin.tenant.tenantId;
  member = await teammate(reckon, admin, 'member');
});
afterAll(async () => { await reckon.close(); });

async function auditActions(): Promise<string[]> {
  const res = await admin.client.get(`/api/teams/${team}/audit`);
  expect(res.status).toBe(200);
  return res.json.events.map((e: { action: string }) => e.action);
}

describe('clients', () => {
  it('are created, renamed, archived and unarchived by team admins, each change in the audit log', async () => {
    const created = await admin.client.post('/api/portal/clients', { tenantId: team, name: '  Globex  ' });
    expect(created.status).toBe(201);
    expect(created.json.client).toMatchObject({ tenantId: team, name: 'Globex', archived: false });
    const id = created.json.client.id;
    expect((await admin.client.patch(`/api/portal/clients/${id}`, { name: 'Globex Inc' })).json.client.name).toBe('Globex Inc');
    expect((await admin.client.patch(`/api/portal/clients/${id}`, { archived: true })).json.client.archived).toBe(true);
    expect((await admin.client.patch(`/api/portal/clients/${id}`, { archived: false })).json.client.archived).toBe(false);
    const listed = await member.client.get(`/api/portal/clients?tenantId=${team}`);
    expect(listed.status).toBe(200);
    expect(listed.json.clients.map((c: { id: string; name: string }) => [c.id, c.name])).toContainEqual([id, 'Globex Inc']);
    expect(await auditActions()).toEqual(expect.arrayContaining(['client.created', 'client.renamed', 'client.archived', 'client.unarchived']));
  });

  it('are managed by admins only: a member gets 403, another team 404, nothing written', async () => {
    const id = await newClient(admin, team, 'Initech');
    await refusedWithoutChange(reckon, () => member.client.post('/api/portal/clients', { tenantId: team, name: 'Nope' }), 403, 'forbidden');
    await refusedWithoutChange(reckon, () => member.client.patch(`/api/portal/clients/${id}`, { name: 'Nope' }), 403, 'forbidden');
    await refusedWithoutChange(reckon, () => other.client.patch(`/api/portal/clients/${id}`, { name: 'Nope' }), 404, 'not_found');
    await refusedWithoutChange(reckon, () => other.client.get(`/api/portal/clients?tenantId=${team}`), 404, 'not_found');
  });
});

describe('sessions and clients', () => {
  it('a session is assigned to a client at creation or later by its moderator, and the list filters by client', async () => {
    const acme = await newClient(admin, team, 'Acme');
    const atCreation = await newSession(admin, { clientId: acme });
    expect(atCreation).toMatchObject({ clientId: acme });
    const later = await newSession(admin, { name: 'Later' });
    const patched = await admin.client.patch(`/api/sessions/${later.id}`, { clientId: acme });
    expect(patched.status).toBe(200);
    expect(patched.json.session.clientId).toBe(acme);
    const filtered = await admin.client.get(`/api/sessions?tenantId=${team}&clientId=${acme}`);
    expect(filtered.json.sessions.map((s: { id: string }) => s.id).sort()).toEqual([atCreation.id, later.id].sort());
    expect((await admin.client.patch(`/api/sessions/${later.id}`, { clientId: null })).json.session.clientId).toBeNull();
    expect((await admin.client.get(`/api/sessions?tenantId=${team}&clientId=${acme}`)).json.sessions.map((s: { id: string }) => s.id)).toEqual([atCreation.id]);
  });

  it('refuses another team\'s client, a plain member and a stranger, writing nothing', async () => {
    const s = await newSession(admin, { name: 'Guarded' });
    const theirs = await newClient(other, other.tenant.tenantId, 'Theirs');
    await refusedWithoutChange(reckon, () => admin.client.patch(`/api/sessions/${s.id}`, { clientId: theirs }), 404, 'not_found');
    await refusedWithoutChange(reckon, () => member.client.patch(`/api/sessions/${s.id}`, { clientId: null }), 403, 'forbidden');
    await refusedWithoutChange(reckon, () => other.client.patch(`/api/sessions/${s.id}`, { clientId: theirs }), 404, 'not_found');
    await refusedWithoutChange(reckon, () => admin.client.patch(`/api/sessions/${s.id}`, { clientId: 'a/b' }), 400, 'invalid_request');
  });
});

describe('portal links', () => {
  it('are shown once as a URL with the token in the fragment, listed with who used them, and grant the client on redeeming', async () => {
    const clientId = await newClient(admin, team, 'Umbrella');
    const created = await admin.client.post(`/api/portal/clients/${clientId}/links`, { expiresInDays: 3, note: 'for Ann' });
    expect(created.status).toBe(201);
    expect(created.json.url).toMatch(new RegExp(`^${reckon.url}/#/portal/link/[A-Za-z0-9_.-]+$`));
    expect(created.json.link.note).toBe('for Ann');
    const token = created.json.url.split('#/portal/link/')[1];
    const ann = await registeredClient(reckon, { displayName: 'Ann Client' });
    const res = await redeem(ann, token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access: { tenantId: team, clientId, clientName: 'Umbrella', teamName: expect.any(String) } });
    const me = await ann.client.get('/api/auth/me');
    expect(me.json.portal).toEqual([res.json.access]);
    expect(me.json.memberships.map((m: { tenantId: string }) => m.tenantId)).not.toContain(team);
    const links = await admin.client.get(`/api/portal/clients/${clientId}/links`);
    expect(links.json.links).toEqual([expect.objectContaining({ id: created.json.link.id, status: 'used', note: 'for Ann', usedBy: { uid: ann.user.uid, displayName: 'Ann Client' } })]);
    expect(JSON.stringify(links.json)).not.toContain(token);
    const users = await admin.client.get(`/api/portal/clients/${clientId}/users`);
    expect(users.json.users).toEqual([expect.objectContaining({ uid: ann.user.uid, displayName: 'Ann Client', email: ann.account.email })]);
    expect(await auditActions()).toEqual(expect.arrayContaining(['portal_link.created', 'portal_link.redeemed']));
  });

  it('answers one and the same 404 for a used, revoked, expired or forged link, and writes nothing', async () => {
    const clientId = await newClient(admin, team, 'Stark');
    const used = await newLink(admin, clientId);
    await portalUser(reckon, admin, clientId);
    expect((await redeem(await registeredClient(reckon), used.token)).status).toBe(200);
    const revoked = await newLink(admin, clientId);
    expect((await admin.client.delete(`/api/portal/clients/${clientId}/links/${revoked.id}`)).status).toBe(204);
    const expired = await newLink(admin, clientId);
    const db = newFirestore({ projectId: reckon.projectId });
    const { Timestamp } = await import('@google-cloud/firestore');
    await db.doc(`portalLinks/${expired.id}`).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
    await db.terminate();
    const valid = await newLink(admin, clientId);
    const taker = await registeredClient(reckon);
    const messages = new Set<string>();
    for (const token of [used.token, revoked.token, expired.token, valid.token.slice(0, -2) + (valid.token.endsWith('AA') ? 'BB' : 'AA'), 'not-a-token']) {
      const res = await refusedWithoutChange(reckon, () => redeem(taker, token), 404, 'not_found');
      messages.add(res.json.error.message);
    }
    expect(messages.size).toBe(1);
    expect((await redeem(taker, valid.token)).status).toBe(200);
  });

  it('is spent by exactly one of 50 concurrent redeems', async () => {
    const clientId = await newClient(admin, team, 'Wayne');
    const link = await newLink(admin, clientId);
    const people = await Promise.all(Array.from({ length: 10 }, () => registeredClient(reckon)));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem(people[i % 10]!, link.token)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200 && s !== 404 && s !== 409)).toEqual([]);
    const users = await admin.client.get(`/api/portal/clients/${clientId}/users`);
    expect(users.json.users).toHaveLength(1);
    const events = (await admin.client.get(`/api/teams/${team}/audit?limit=200`)).json.events.filter((e: { action: string; target: { id: string } }) => e.action === 'portal_link.redeemed' && e.target.id === link.id);
    expect(events).toHaveLength(1);
  });

  it('removing a portal user ends their access at once', async () => {
    const clientId = await newClient(admin, team, 'Tyrell');
    const person = await portalUser(reckon, admin, clientId);
    expect((await person.client.get('/api/auth/me')).json.portal).toHaveLength(1);
    expect((await admin.client.delete(`/api/portal/clients/${clientId}/users/${person.user.uid}`)).status).toBe(204);
    expect((await person.client.get('/api/auth/me')).json.portal).toEqual([]);
    expect(await auditActions()).toContain('portal_user.removed');
    const before = await stateOf(reckon);
    await refusedWithoutChange(reckon, () => admin.client.delete(`/api/portal/clients/${clientId}/users/${person.user.uid}`), 404, 'not_found', before);
  });
});
