// Teams over HTTP on the embedded emulator: creating and renaming a team, members with their
// roles and last activity, invite links (shown once, stored hashed, used at most maxUses times
// even in a burst), role changes and removal (the last-admin rule, sessions handed over, tokens
// ended), and the audit log with its CSV.
import fs from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore, databaseDump } from '../support/firestore.js';
import { newSession, poll } from '../support/rooms.js';
import { accept, joined, newInvite, newTeam, type Person } from './support.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { attestedCall } from '../support/forge.js';

let reckon: Reckon;
let ada: Person;
let forge: FakeForge;
beforeAll(async () => {
  forge = await startFakeForge();
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0', ...forge.env });
  ada = await registeredClient(reckon, { displayName: 'Ada' });
});
afterAll(async () => { await reckon.close(); await forge.close(); });

const db = () => newFirestore({ projectId: reckon.projectId });
const membersOf = async (tenantId: string) => (await db().collection('memberships').where('tenantId', '==', tenantId).get()).docs.map((d) => d.data());
const epochOf = async (uid: string) => ((await db().doc(`users/${uid}`).get()).get('accessEpoch') as number | undefined) ?? 0;
const auditOf = async (who: Person, tenantId: string) => (await who.client.get(`/api/teams/${tenantId}/audit?limit=200`)).json.events as { action: string; actor: { uid: string }; target: { id: string }; details: Record<string, unknown> }[];

describe('a team', () => {
  it('is created with the caller as its admin, and a user may belong to many teams', async () => {
    const res = await ada.client.post('/api/teams', { name: '  Platform  ' });
    expect(res.status).toBe(201);
    expect(res.json.team).toEqual({ tenantId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), name: 'Platform', personal: false, createdAt: expect.any(String), sessionRetentionDays: 365 });
    await ada.client.post('/api/teams', { name: 'Mobile' });
    const me = await ada.client.get('/api/auth/me');
    expect(me.json.memberships.map((m: { tenantName: string; role: string }) => `${m.tenantName}:${m.role}`).sort()).toEqual(["Ada's team:admin", 'Mobile:admin', 'Platform:admin']);
  });

  it('shows its members with role, joining time and last activity; emails to admins only', async () => {
    const tenantId = await newTeam(ada, 'Data');
    const ben = await joined(reckon, ada, tenantId);
    const s = await newSession(ada, { tenantId });
    expect((await ben.client.post(`/api/sessions/${s.id}/join`, {})).status).toBe(201);
    expect((await poll(ben.client, s.id)).status).toBe(200);
    const asAdmin = (await ada.client.get(`/api/teams/${tenantId}`)).json;
    expect(asAdmin.team.name).toBe('Data');
    expect(asAdmin.members).toEqual([
      { uid: ada.user.uid, displayName: 'Ada', role: 'admin', joinedAt: expect.any(String), lastActiveAt: null, email: ada.account.email },
      { uid: ben.user.uid, displayName: ben.account.displayName, role: 'member', joinedAt: expect.any(String), lastActiveAt: expect.any(String), email: ben.account.email },
    ]);
    const asMember = await ben.client.get(`/api/teams/${tenantId}`);
    expect(asMember.status).toBe(200);
    expect(asMember.text).not.toContain('@example.com');
  });

  it('is renamed by an admin, and the rename is audited with the old and new name', async () => {
    const tenantId = await newTeam(ada, 'Old name');
    const res = await ada.client.patch(`/api/teams/${tenantId}`, { name: 'New name' });
    expect([res.status, res.json.team.name]).toEqual([200, 'New name']);
    expect((await ada.client.get(`/api/teams/${tenantId}`)).json.team.name).toBe('New name');
    expect((await auditOf(ada, tenantId))[0]).toMatchObject({ action: 'team.renamed', details: { from: 'Old name', to: 'New name' } });
  });
});

describe('invite links', () => {
  it('carry a token in the fragment, shown once and stored only as a hash', async () => {
    const tenantId = await newTeam(ada);
    const res = await ada.client.post(`/api/teams/${tenantId}/invites`, { role: 'member' });
    expect(res.status).toBe(201);
    expect(res.json.invite).toEqual({ id: expect.any(String), role: 'member', expiresAt: expect.any(String), maxUses: 1, uses: 0, status: 'active', createdAt: expect.any(String) });
    expect(Date.parse(res.json.invite.expiresAt) - Date.parse(res.json.invite.createdAt)).toBe(7 * 86_400_000);
    expect(res.json.url).toMatch(new RegExp(`^${reckon.url}/#/invite/rki_[A-Za-z0-9_-]{43}$`));
    const token = res.json.url.split('#/invite/')[1];
    const list = await ada.client.get(`/api/teams/${tenantId}/invites`);
    expect(list.json.invites).toEqual([res.json.invite]);
    expect(list.text).not.toContain(token);
    expect(await databaseDump(reckon.projectId)).not.toContain(token);
  });

  it('are removed with their uses by Firestore\'s TTL 90 days after they expire (the list shows them as expired until then)', async () => {
    const tenantId = await newTeam(ada, 'Tidy');
    const invite = await newInvite(ada, tenantId, { expiresInDays: 2 });
    const ivy = await registeredClient(reckon);
    expect((await accept(ivy, invite.token)).status).toBe(200);
    const stored = (await db().doc(`invites/${invite.id}`).get()).data()!;
    const use = (await db().collection('inviteUses').where('inviteId', '==', invite.id).get()).docs[0]!.data();
    const expected = stored.expiresAt.toMillis() + 90 * 86_400_000;
    expect([stored.deleteAt.toMillis(), use.deleteAt.toMillis()]).toEqual([expected, expected]);
    const ttl = JSON.parse(fs.readFileSync('firestore.indexes.json', 'utf8')).fieldOverrides.filter((o: { ttl?: boolean }) => o.ttl);
    for (const c of ['invites', 'inviteUses']) expect(ttl).toContainEqual(expect.objectContaining({ collectionGroup: c, fieldPath: 'deleteAt' }));
  });

  it('let a signed-in person join with the invite\'s role, then are used up', async () => {
    const tenantId = await newTeam(ada, 'Joinable');
    const invite = await newInvite(ada, tenantId, { role: 'admin', maxUses: 2, expiresInDays: 1 });
    const [cy, di, ed] = await Promise.all([registeredClient(reckon), registeredClient(reckon), registeredClient(reckon)]);
    const res = await accept(cy, invite.token);
    expect(res.status).toBe(200);
    expect(res.json.membership).toEqual({ tenantId, teamName: 'Joinable', uid: cy.user.uid, role: 'admin', joinedAt: expect.any(String) });
    expect((await accept(di, invite.token)).status).toBe(200);
    const third = await accept(ed, invite.token);
    expect([third.status, third.json.error.code]).toEqual([404, 'not_found']);
    const list = (await ada.client.get(`/api/teams/${tenantId}/invites`)).json.invites;
    expect(list[0]).toMatchObject({ uses: 2, maxUses: 2, status: 'used_up' });
    expect((await cy.client.get(`/api/teams/${tenantId}/invites`)).status).toBe(200); // an admin now
  });

  it('once revoked, answer the same 404 as a wrong token', async () => {
    const tenantId = await newTeam(ada);
    const invite = await newInvite(ada, tenantId, { maxUses: 5 });
    expect((await ada.client.delete(`/api/teams/${tenantId}/invites/${invite.id}`)).status).toBe(204);
    const fay = await registeredClient(reckon);
    const revoked = await accept(fay, invite.token);
    const wrong = await accept(fay, `rki_${'A'.repeat(43)}`);
    expect(revoked.status).toBe(404);
    expect(revoked.json.error.message).toBe(wrong.json.error.message);
    expect((await ada.client.get(`/api/teams/${tenantId}/invites`)).json.invites[0].status).toBe('revoked');
  });

  it('make exactly one membership out of 100 concurrent accepts of a one-use invite', async () => {
    const tenantId = await newTeam(ada, 'Burst');
    const invite = await newInvite(ada, tenantId, { maxUses: 1 });
    const people = await Promise.all(Array.from({ length: 20 }, () => registeredClient(reckon)));
    const results = await Promise.all(people.flatMap((p) => Array.from({ length: 5 }, () => p.client.post('/api/teams/invites/accept', { token: invite.token }))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => r.status === 200 || r.status === 404 || r.status === 409)).toBe(true);
    expect(await membersOf(tenantId)).toHaveLength(2);
    expect((await db().collection('inviteUses').where('inviteId', '==', invite.id).get()).size).toBe(1);
    expect((await db().doc(`invites/${invite.id}`).get()).get('uses')).toBe(1);
    expect((await auditOf(ada, tenantId)).filter((e) => e.action === 'invite.accepted')).toHaveLength(1);
  });

  it('take no use after their revocation committed, even from an accept that read the invite before it', async () => {
    // Each accept and the revocation write their audit event in their own batch, so an event's
    // create time is when its change committed.
    const lead = await registeredClient(reckon); // invites are rate-limited per admin: a fresh one
    for (let round = 0; round < 3; round++) {
      const tenantId = await newTeam(lead, `Revoked ${round}`);
      const invite = await newInvite(lead, tenantId, { maxUses: 100 });
      const people = await Promise.all(Array.from({ length: 12 }, () => registeredClient(reckon)));
      const accepts = people.map((p) => p.client.post('/api/teams/invites/accept', { token: invite.token }));
      const revoked = await lead.client.delete(`/api/teams/${tenantId}/invites/${invite.id}`);
      await Promise.all(accepts);
      expect(revoked.status).toBe(204);
      const events = (await db().collection('auditEvents').where('tenantId', '==', tenantId).get()).docs;
      const committedAt = (action: string) => events.filter((d) => d.get('action') === action).map((d) => BigInt(d.createTime.seconds) * 1_000_000_000n + BigInt(d.createTime.nanoseconds));
      const [revokedAt] = committedAt('invite.revoked');
      for (const acceptedAt of committedAt('invite.accepted')) expect(acceptedAt).toBeLessThan(revokedAt!);
    }
  });

  it('never take more uses than maxUses when many people accept at once', async () => {
    const tenantId = await newTeam(ada, 'Crowd');
    const invite = await newInvite(ada, tenantId, { maxUses: 4 });
    const people = await Promise.all(Array.from({ length: 12 }, () => registeredClient(reckon)));
    const results = await Promise.all(people.map((p) => p.client.post('/api/teams/invites/accept', { token: invite.token })));
    const joinedCount = results.filter((r) => r.status === 200).length;
    expect(joinedCount).toBeLessThanOrEqual(4);
    expect(joinedCount).toBeGreaterThanOrEqual(1);
    expect(await membersOf(tenantId)).toHaveLength(1 + joinedCount);
    expect((await db().doc(`invites/${invite.id}`).get()).get('uses')).toBe(joinedCount);
  });

  it('are accepted once per person: a second accept answers 409 and writes nothing', async () => {
    const tenantId = await newTeam(ada);
    const invite = await newInvite(ada, tenantId, { maxUses: 3 });
    const gus = await registeredClient(reckon);
    const both = await Promise.all([gus.client.post('/api/teams/invites/accept', { token: invite.token }), gus.client.post('/api/teams/invites/accept', { token: invite.token })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await membersOf(tenantId)).filter((m) => m.uid === gus.user.uid)).toHaveLength(1);
    expect((await db().doc(`invites/${invite.id}`).get()).get('uses')).toBe(1);
  });

  it('are rate-limited: creation per admin and acceptance per person', async () => {
    const hal = await registeredClient(reckon);
    const tenantId = await newTeam(hal);
    // One after another: the limiter's behaviour under a burst is shared/http's own test.
    const created = [];
    for (let i = 0; i < 31; i++) created.push(await hal.client.post(`/api/teams/${tenantId}/invites`, { role: 'member' }));
    expect(created.map((r) => r.status)).toEqual([...Array(30).fill(201), 429]);
    expect(created[30]!.headers['retry-after']).toMatch(/^\d+$/);
    const ivy = await registeredClient(reckon);
    const tries = [];
    for (let i = 0; i < 11; i++) tries.push((await ivy.client.post('/api/teams/invites/accept', { token: `rki_${'B'.repeat(43)}` })).status);
    expect(tries).toEqual([...Array(10).fill(404), 429]);
  });

  it('bring someone without an account in after they sign up', async () => {
    const tenantId = await newTeam(ada, 'Newcomers');
    const invite = await newInvite(ada, tenantId);
    const anonymous = new ApiClient(reckon);
    expect((await anonymous.post('/api/teams/invites/accept', { token: invite.token })).status).toBe(401);
    const jo = await registeredClient(reckon);
    expect((await accept(jo, invite.token)).status).toBe(200);
    const me = await jo.client.get('/api/auth/me');
    expect(me.json.memberships.map((m: { tenantName: string }) => m.tenantName)).toContain('Newcomers');
  });
});

describe('members', () => {
  it('are changed by an admin only while they are one: a removal racing its actor\'s demotion never commits after it', async () => {
    const lead = await registeredClient(reckon); // invites are rate-limited per admin: a fresh one
    for (let round = 0; round < 2; round++) {
      const tenantId = await newTeam(lead, `Race ${round}`);
      const bob = await joined(reckon, lead, tenantId, 'admin');
      const others = await Promise.all(Array.from({ length: 6 }, () => joined(reckon, lead, tenantId)));
      const removals = others.map((o) => bob.client.delete(`/api/teams/${tenantId}/members/${o.user.uid}`));
      // A demotion that meets a removal in flight may answer 409 (the team changed): Lena tries again.
      let demoted = await lead.client.patch(`/api/teams/${tenantId}/members/${bob.user.uid}`, { role: 'member' });
      for (let again = 0; demoted.status === 409 && again < 10; again++) demoted = await lead.client.patch(`/api/teams/${tenantId}/members/${bob.user.uid}`, { role: 'member' });
      await Promise.all(removals);
      expect(demoted.status).toBe(200);
      const events = (await db().collection('auditEvents').where('tenantId', '==', tenantId).get()).docs;
      const committedAt = (action: string) => events.filter((d) => d.get('action') === action).map((d) => BigInt(d.createTime.seconds) * 1_000_000_000n + BigInt(d.createTime.nanoseconds));
      const [demotedAt] = committedAt('member.role_changed');
      for (const removedAt of committedAt('member.removed')) expect(removedAt).toBeLessThan(demotedAt!);
    }
  });

  it('change role at once: the change ends the person\'s tokens and a demoted admin can no longer invite', async () => {
    const tenantId = await newTeam(ada, 'Roles');
    const kim = await joined(reckon, ada, tenantId, 'admin');
    const before = await epochOf(kim.user.uid);
    const res = await ada.client.patch(`/api/teams/${tenantId}/members/${kim.user.uid}`, { role: 'member' });
    expect([res.status, res.json.membership.role]).toEqual([200, 'member']);
    expect(await epochOf(kim.user.uid)).toBe(before + 1);
    // Her old cookie is ended at once; refreshed, it carries the new role.
    const stale = await kim.client.post(`/api/teams/${tenantId}/invites`, { role: 'member' });
    expect([stale.status, stale.json.error.code]).toEqual([401, 'token_expired']);
    expect((await kim.client.post('/api/auth/refresh')).status).toBe(200);
    expect((await kim.client.post(`/api/teams/${tenantId}/invites`, { role: 'member' })).status).toBe(403);
    expect((await auditOf(ada, tenantId))[0]).toMatchObject({ action: 'member.role_changed', target: { id: kim.user.uid }, details: { from: 'admin', to: 'member' } });
  });

  it('keep at least one admin: the last admin can neither leave nor be demoted', async () => {
    const tenantId = await newTeam(ada, 'Solo');
    const leave = await ada.client.delete(`/api/teams/${tenantId}/members/${ada.user.uid}`);
    const demote = await ada.client.patch(`/api/teams/${tenantId}/members/${ada.user.uid}`, { role: 'member' });
    expect([leave.status, leave.json.error.code, demote.status, demote.json.error.code]).toEqual([409, 'last_admin', 409, 'last_admin']);
  });

  it('keep an admin when two admins demote each other at the same moment', async () => {
    for (let i = 0; i < 3; i++) {
      const tenantId = await newTeam(ada, 'Race');
      const lee = await joined(reckon, ada, tenantId, 'admin');
      const [a, b] = await Promise.all([
        ada.client.patch(`/api/teams/${tenantId}/members/${lee.user.uid}`, { role: 'member' }),
        lee.client.patch(`/api/teams/${tenantId}/members/${ada.user.uid}`, { role: 'member' }),
      ]);
      expect([a.status, b.status].filter((s) => s === 200).length).toBeLessThanOrEqual(1);
      expect((await membersOf(tenantId)).filter((m) => m.role === 'admin').length).toBeGreaterThanOrEqual(1);
      // Whoever lost the race had their tokens ended; Ada (the next tests' admin) may be the one.
      expect((await ada.client.post('/api/auth/refresh')).status).toBe(200);
    }
  });

  it('removed by an admin lose the team, and their sessions stay in it, owned by that admin', async () => {
    const tenantId = await newTeam(ada, 'Removal');
    const max = await joined(reckon, ada, tenantId);
    const s = await newSession(max, { tenantId });
    expect((await poll(max.client, s.id)).status).toBe(200);
    const activity = db().doc(`memberActivity/${tenantId}_${max.user.uid}`);
    expect((await activity.get()).exists).toBe(true); // the Team page showed Max as active
    const before = await epochOf(max.user.uid);
    expect((await ada.client.delete(`/api/teams/${tenantId}/members/${max.user.uid}`)).status).toBe(204);
    expect((await activity.get()).exists).toBe(false);
    expect((await db().doc(`sessions/${s.id}`).get()).get('ownerUid')).toBe(ada.user.uid);
    expect(await epochOf(max.user.uid)).toBe(before + 1);
    expect((await max.client.post('/api/auth/refresh')).status).toBe(200);
    expect((await max.client.get(`/api/teams/${tenantId}`)).status).toBe(404);
    expect((await max.client.get(`/api/sessions/${s.id}/state`)).status).toBe(404);
    expect((await auditOf(ada, tenantId))[0]).toMatchObject({ action: 'member.removed', target: { id: max.user.uid }, details: { sessions: 1, sessionsTo: ada.user.uid } });
  });

  it('may leave on their own; their sessions pass to the longest-standing admin', async () => {
    const tenantId = await newTeam(ada, 'Leaving');
    const ned = await joined(reckon, ada, tenantId, 'admin');
    const ora = await joined(reckon, ada, tenantId);
    const s = await newSession(ora, { tenantId });
    expect((await ora.client.delete(`/api/teams/${tenantId}/members/${ora.user.uid}`)).status).toBe(204);
    expect((await db().doc(`sessions/${s.id}`).get()).get('ownerUid')).toBe(ada.user.uid);
    expect((await auditOf(ned, tenantId))[0]).toMatchObject({ action: 'member.left', actor: { uid: ora.user.uid } });
    expect((await ned.client.delete(`/api/teams/${tenantId}/members/${ned.user.uid}`)).status).toBe(204); // an admin leaves while another remains
  });
});

describe('the audit log', () => {
  it('lists events newest first, a page at a time', async () => {
    const tenantId = await newTeam(ada, 'Paged');
    for (const name of ['One', 'Two', 'Three', 'Four']) await ada.client.patch(`/api/teams/${tenantId}`, { name });
    const first = await ada.client.get(`/api/teams/${tenantId}/audit?limit=2`);
    expect(first.json.events.map((e: { details: { to?: string } }) => e.details.to)).toEqual(['Four', 'Three']);
    expect(first.json.events[0]).toEqual({ id: expect.any(String), at: expect.any(String), actor: { uid: ada.user.uid, displayName: 'Ada' }, action: 'team.renamed', target: { type: 'team', id: tenantId, name: null }, details: { from: 'Three', to: 'Four' } });
    const second = await ada.client.get(`/api/teams/${tenantId}/audit?limit=2&before=${first.json.next}`);
    expect(second.json.events.map((e: { details: { to?: string } }) => e.details.to)).toEqual(['Two', 'One']);
    const third = await ada.client.get(`/api/teams/${tenantId}/audit?limit=2&before=${second.json.next}`);
    expect([third.json.events.map((e: { action: string }) => e.action), third.json.next]).toEqual([['team.created'], null]);
  });

  it('downloads as CSV with formula cells defused', async () => {
    const tenantId = await newTeam(ada, '=HYPERLINK("http://evil")');
    const res = await ada.client.get(`/api/teams/${tenantId}/audit?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="reckon-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('Time (UTC),Actor,Actor id,Action,Target type,Target id,Target,Details');
    // Ids are random base64url, so one in 64 starts with '-', which a spreadsheet would also
    // run as a formula: that cell is defused (and quoted) like any other.
    const idCell = (id: string) => (id.startsWith('-') ? `"'${id}"` : id);
    expect(lines[1]).toContain(`,Ada,${idCell(ada.user.uid)},team.created,team,${idCell(tenantId)},,`);
    expect(lines[1]).not.toMatch(/,=|,"=/);
  });

  it('records Forge installations and holds no secrets, and keeps events for 400 days', async () => {
    const tenantId = await newTeam(ada, 'Forge team');
    const site = forge.newSite();
    const cloudId = site.cloudId;
    const code = (await ada.client.post('/api/forge/connect-codes', { tenantId })).json.code;
    const reg = await attestedCall(reckon, '/api/forge/bind', await forge.invocationToken(site), { code });
    expect(reg.status).toBe(201);
    expect((await attestedCall(reckon, '/api/forge/secret/rotate', await forge.invocationToken(site))).status).toBe(200);
    expect((await ada.client.post(`/api/forge/installations/${cloudId}/revoke`)).status).toBe(200);
    const events = await auditOf(ada, tenantId);
    expect(events.slice(0, 3).map((e) => e.action)).toEqual(['forge.installation_revoked', 'forge.installation_rotated', 'forge.installation_registered']);
    const stored = (await db().collection('auditEvents').where('tenantId', '==', tenantId).get()).docs.map((d) => d.data());
    expect(JSON.stringify(stored)).not.toContain(reg.json.secret);
    for (const e of stored) expect(e.expiresAt.toMillis() - e.at.toMillis()).toBe(400 * 86_400_000);
  });

  it('is for admins only', async () => {
    const tenantId = await newTeam(ada, 'Private log');
    const pat = await joined(reckon, ada, tenantId);
    expect((await pat.client.get(`/api/teams/${tenantId}/audit`)).status).toBe(403);
    expect((await pat.client.get(`/api/teams/${tenantId}/audit?format=csv`)).status).toBe(403);
  });
});
