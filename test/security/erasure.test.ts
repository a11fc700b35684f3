// Issue #15, item 11: erasing an account left the name and uid in other teams' rooms, votes
// linked to it and sessions owned by it; the export left out rooms, votes and owned sessions.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump, newFirestore } from '../support/firestore.js';
import { addIssues, guest, newSession, poll, startRound, teammate, vote, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon, { displayName: 'Olga Owner' });
});
afterAll(async () => { await reckon.close(); });

/**
 * Eve, a member of Olga's team, owns a session there and plays in Olga's room with a guest: a
 * revealed round, a re-vote never revealed, and a card down in the round in play.
 */
async function eveInOlgasTeam() {
  const eve = await teammate(reckon, owner);
  await eve.client.post('/api/auth/refresh');
  const name = `Eve Erasable ${Date.now()}`;
  const room = await newSession(owner, { name: 'Planning with Eve', autoReveal: false });
  const owned = await newSession(eve, { name: 'Eve owns this', tenantId: owner.tenant.tenantId });
  const [a, b] = await addIssues(owner, room.id, ['Checkout', 'Refunds']);
  const [ownIssue] = await addIssues(eve, owned.id, ['Eve estimated this']);
  await eve.client.post(`/api/sessions/${owned.id}/finalize`, { issueId: ownIssue, estimate: '2' }); // estimatedBy: Eve
  const joined = await eve.client.post(`/api/sessions/${room.id}/join`, { role: 'voter', displayName: name });
  const gus = await guest(reckon, room.joinCode, 'Gus');
  await startRound(owner, room.id, a!);
  await vote(eve.client, room.id, a!, 1, '8');
  await vote(gus.client, room.id, a!, 1, '5');
  await owner.client.post(`/api/sessions/${room.id}/reveal`);
  await owner.client.post(`/api/sessions/${room.id}/revote`);
  await vote(eve.client, room.id, a!, 2, '3');
  await startRound(owner, room.id, b!);
  await vote(eve.client, room.id, b!, 1, '13');
  await owner.client.post(`/api/sessions/${room.id}/finalize`, { issueId: a, estimate: '8' }); // estimatedBy: Olga, stays
  return { eve, name, room, owned, issues: [a!, b!], eveParticipantId: joined.json.participant.id as string, gus };
}

describe('item 11: the export lists every document about the user', () => {
  it('includes the rooms they were in (with session names), their cards there, and the sessions they own', async () => {
    const { eve, name, room, owned, issues: [a, b], eveParticipantId } = await eveInOlgasTeam();
    const res = await eve.client.get('/api/auth/me/export');
    expect(res.status).toBe(200);
    expect(res.json.rooms).toEqual([{
      sessionId: room.id, sessionName: 'Planning with Eve', tenantId: owner.tenant.tenantId, participantId: eveParticipantId,
      displayName: name, role: 'voter', joinedAt: expect.any(String), lastSeenAt: expect.any(String),
      votes: expect.arrayContaining([{ issueId: a, round: 1, value: '8', note: null }, { issueId: a, round: 2, value: '3', note: null }, { issueId: b, round: 1, value: '13', note: null }]),
    }]);
    expect(res.json.rooms[0].votes).toHaveLength(3);
    expect(res.json.ownedSessions).toEqual([{ id: owned.id, tenantId: owner.tenant.tenantId, name: 'Eve owns this', status: 'open', createdAt: expect.any(String) }]);
  });
});

describe('item 11: erasure leaves nothing that leads back to the person', () => {
  it('replaces the name with "Deleted user", unlinks the uid, keeps only revealed cards anonymously, and hands owned sessions to an admin', async () => {
    const { eve, name, room, owned, issues: [a], eveParticipantId } = await eveInOlgasTeam();
    const res = await eve.client.delete('/api/auth/me', { password: eve.account.password });
    expect(res.status).toBe(204);

    // Nowhere in the database (not even `estimatedBy` of the issue she estimated): not the uid, the name, the email, nor the participant id derived from the uid.
    const dump = await databaseDump(reckon.projectId);
    for (const trace of [eve.user.uid, name, eve.account.email, eveParticipantId]) expect(dump).not.toContain(trace);

    // The room: Eve is an anonymous spectator; the revealed round keeps her card, the others are gone.
    const state = await poll(owner.client, room.id);
    expect(state.json.participants.map((p: { displayName: string; role: string; kind: string }) => [p.displayName, p.kind, p.role]))
      .toEqual([['Deleted user', 'user', 'spectator'], ['Gus', 'guest', 'voter']]);
    const csv = (await owner.client.get(`/api/sessions/${room.id}/results.csv`)).text;
    expect(csv).toContain('Checkout,,8,2,"R1: Deleted user=8, Gus=5; R2: not revealed"');
    const db = newFirestore({ projectId: reckon.projectId });
    const cards = (await db.collection(`sessions/${room.id}/votes`).where('value', '!=', null).get()).docs.map((d) => [d.get('issueId'), d.get('round'), d.get('value')]);
    expect(cards.sort()).toEqual([[a, 1, '5'], [a, 1, '8']]);

    // The session Eve owned now belongs to Olga, the team's admin, who still runs it.
    const session = await owner.client.get(`/api/sessions/${owned.id}`);
    expect(session.json.session.ownerUid).toBe(owner.user.uid);
    expect((await owner.client.post(`/api/sessions/${owned.id}/close`)).status).toBe(200);
    await db.terminate();
  });

  it('lets a round that waited only for the erased voter reveal itself', async () => {
    const eve = await teammate(reckon, owner);
    const room = await newSession(owner, { autoReveal: true });
    const [a] = await addIssues(owner, room.id, ['Search']);
    await eve.client.post(`/api/sessions/${room.id}/join`, { role: 'voter' });
    const gus = await guest(reckon, room.joinCode, 'Gus');
    await startRound(owner, room.id, a!);
    await vote(gus.client, room.id, a!, 1, '5');
    expect((await poll(owner.client, room.id)).json.revealed).toBe(false);
    expect((await eve.client.delete('/api/auth/me', { password: eve.account.password })).status).toBe(204);
    const state = await poll(owner.client, room.id);
    expect(state.json).toMatchObject({ revealed: true, votes: [{ value: '5' }] });
  });
});

describe('item 7: the networks an account signed in from', () => {
  it('are in the export and go with the account', async () => {
    const address = '2001:db8:7e:1::5';
    const account = newAccount();
    const client = new ApiClient(reckon, { address });
    expect((await client.post('/api/auth/register', account)).status).toBe(201);
    expect((await client.get('/api/auth/me/export')).json.knownNetworks).toEqual([{ network: '2001:db8:7e:1::/64', lastSignInAt: expect.any(String) }]);
    expect(await databaseDump(reckon.projectId)).toContain('"2001:db8:7e:1::/64"');
    expect((await client.delete('/api/auth/me', { password: account.password })).status).toBe(204);
    expect(await databaseDump(reckon.projectId)).not.toContain('2001:db8:7e:1:');
  });
});

describe('item 11: erasure under concurrency', () => {
  it('leaves exactly one anonymous record when the same account is erased twice at once', async () => {
    const eve = await teammate(reckon, owner);
    const room = await newSession(owner);
    await eve.client.post(`/api/sessions/${room.id}/join`, { role: 'voter' });
    const both = await Promise.all([1, 2].map(() => eve.client.delete('/api/auth/me', { password: eve.account.password })));
    expect(both.map((r) => r.status)).toContain(204);
    for (const r of both) expect([204, 401]).toContain(r.status); // the loser finds the account gone
    const people = (await poll(owner.client, room.id)).json.participants;
    expect(people.map((p: { displayName: string }) => p.displayName)).toEqual(['Deleted user']);
    expect(await databaseDump(reckon.projectId)).not.toContain(eve.user.uid);
  });
});

describe('item 11: sessions of a team whose only admin is erased', () => {
  it('pass to the member who inherits the team, who can then run them', async () => {
    const boss = await registeredClient(reckon);
    const max = await teammate(reckon, boss);
    const s = await newSession(boss, { name: 'Boss session' });
    expect((await boss.client.delete('/api/auth/me', { password: boss.account.password })).status).toBe(204);
    await max.client.post('/api/auth/refresh'); // new roles: admin now
    const read = await max.client.get(`/api/sessions/${s.id}`);
    expect(read.json.session.ownerUid).toBe(max.user.uid);
    expect((await max.client.post(`/api/sessions/${s.id}/close`)).status).toBe(200);
    expect(await databaseDump(reckon.projectId)).not.toContain(boss.user.uid);
  });
});

describe('item 11: erasure in teams managed with invite links', () => {
  it('unlinks the person from the invites they created and the invite uses they took; only the audit log keeps the uid, shown as "Deleted account"', async () => {
    const { joined, newInvite } = await import('../teams/support.js');
    const lead = await registeredClient(reckon, { displayName: 'Lena Lead' });
    const ivan = await joined(reckon, lead, lead.tenant.tenantId, 'admin'); // takes an invite use
    await ivan.client.post('/api/auth/refresh');
    await newInvite(ivan, lead.tenant.tenantId); // createdBy: Ivan
    expect((await ivan.client.delete('/api/auth/me', { password: ivan.account.password })).status).toBe(204);
    const leftover = (await databaseDump(reckon.projectId)).split('\n').filter((l) => l.includes(ivan.user.uid) && !l.startsWith('auditEvents/'));
    expect(leftover).toEqual([]);
    const audit = (await lead.client.get(`/api/teams/${lead.tenant.tenantId}/audit`)).json.events;
    expect(audit.filter((e: { actor: { uid: string } }) => e.actor.uid === ivan.user.uid).map((e: { actor: { displayName: string } }) => e.actor.displayName)).toEqual(['Deleted account', 'Deleted account']);
  });
});
