// A full estimation round over HTTP: joining, voting, auto-reveal, reveal, re-vote, finalize, close.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { MAX_PARTICIPANTS_PER_SESSION } from '../../shared/rooms/membership.js';
import { addIssues, guest, newSession, poll, startRound, teammate, vote, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  // Polls here must see each change at once, not within the cache's second.
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

async function roomWithGuests(names: string[], options: object = {}) {
  const session = await newSession(owner, options);
  const [issueId] = await addIssues(owner, session.id, ['Login page', 'Search']);
  const guests = [];
  for (const name of names) guests.push(await guest(reckon, session.joinCode, name));
  const round = await startRound(owner, session.id, issueId!);
  return { session, issueId: issueId!, guests, round };
}

describe('joining', () => {
  it('lets a member join as a voter once, and switch to spectator', async () => {
    const session = await newSession(owner);
    const first = await owner.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' });
    expect(first.status).toBe(201);
    expect(first.json.participant).toMatchObject({ displayName: owner.user.displayName, kind: 'user', role: 'voter' });
    const again = await owner.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' });
    expect(again.status).toBe(200);
    expect(again.json.participant.id).toBe(first.json.participant.id);
    const watching = await owner.client.post(`/api/sessions/${session.id}/join`, { role: 'spectator' });
    expect(watching.json.participant.role).toBe('spectator');
    const state = await poll(owner.client, session.id);
    expect(state.json.participants).toEqual([expect.objectContaining({ id: first.json.participant.id, role: 'spectator', online: true })]);
    expect(state.json.me).toMatchObject({ participantId: first.json.participant.id, role: 'spectator', canModerate: true });
  });

  it('gives a guest a cookie for that one session, and seats them again when they come back', async () => {
    const session = await newSession(owner);
    const g = await guest(reckon, session.joinCode.toLowerCase().replace(/(....)/, '$1-'), 'Gus');
    expect(g.res.json).toMatchObject({ session: { id: session.id, name: 'Sprint 42' }, participant: { displayName: 'Gus', kind: 'guest', role: 'voter' }, asMember: false });
    expect(g.res.headers['set-cookie']?.[0]).toMatch(/^__session=g:[^;]+; HttpOnly; Secure; SameSite=Strict; Path=\/; Max-Age=86400$/);
    const back = await g.client.post('/api/auth/guest', { joinCode: session.joinCode, displayName: 'Gus B.' });
    expect(back.status).toBe(200);
    expect(back.json.participant.id).toBe(g.participantId);
    const state = await poll(g.client, session.id);
    expect(state.status).toBe(200);
    expect(state.json.participants.map((p: { displayName: string }) => p.displayName)).toEqual(['Gus B.']);
    expect(state.json.session.joinCode).toBeNull();
    expect(state.json.me.canModerate).toBe(false);
  });

  it('lets a whole team in when everyone opens the join link at the same moment', async () => {
    const session = await newSession(owner);
    const names = Array.from({ length: 24 }, (_, i) => `Dev ${i + 1}`);
    const joins = await Promise.all(names.map((n) => new ApiClient(reckon).post('/api/auth/guest', { joinCode: session.joinCode, displayName: n })));
    expect(joins.map((r) => r.status)).toEqual(names.map(() => 201));
    const state = await poll(owner.client, session.id);
    expect(state.json.participants.map((p: { displayName: string }) => p.displayName).sort()).toEqual([...names].sort());
  });

  it('still stops at the cap of 200 participants when the last places are taken at once', async () => {
    const session = await newSession(owner);
    const db = newFirestore({ projectId: reckon.projectId });
    const batch = db.batch();
    for (let i = 0; i < MAX_PARTICIPANTS_PER_SESSION - 3; i++) {
      batch.set(db.doc(`sessions/${session.id}/participants/seeded${i}`), {
        tenantId: session.tenantId, displayName: `Seat ${i}`, kind: 'guest', role: 'voter', uid: null, joinedAt: Timestamp.now(), lastSeenAt: Timestamp.now(),
      });
    }
    await batch.commit();
    await db.terminate();
    const joins = await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((n) => new ApiClient(reckon).post('/api/auth/guest', { joinCode: session.joinCode, displayName: n })));
    expect(joins.filter((r) => r.status === 201)).toHaveLength(3);
    expect(joins.filter((r) => r.status === 409).map((r) => r.json.error.code)).toEqual(['limit_reached', 'limit_reached', 'limit_reached']);
    expect((await poll(owner.client, session.id)).json.participants).toHaveLength(MAX_PARTICIPANTS_PER_SESSION);
  });

  it('joins a signed-in member of the team as themselves when they use the join link', async () => {
    const session = await newSession(owner);
    const res = await owner.client.post('/api/auth/guest', { joinCode: session.joinCode, displayName: 'Whatever' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ asMember: true, participant: { kind: 'user' } });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('keeps a signed-in user signed in when they join another team\'s room as a guest', async () => {
    const outsider = await registeredClient(reckon);
    const session = await newSession(owner);
    const res = await outsider.client.post('/api/auth/guest', { joinCode: session.joinCode, displayName: 'Visitor' });
    expect(res.status).toBe(201);
    expect(res.json.asMember).toBe(false);
    expect((await outsider.client.get('/api/auth/me')).status).toBe(200);
    expect((await poll(outsider.client, session.id)).json.me.participantId).toBe(res.json.participant.id);
  });

  it('lets nobody new into a closed session, by code or by join', async () => {
    const session = await newSession(owner);
    const mate = await teammate(reckon, owner);
    expect((await owner.client.post(`/api/sessions/${session.id}/close`)).status).toBe(200);
    const byCode = await new (await import('../support/reckon.js')).ApiClient(reckon).post('/api/auth/guest', { joinCode: session.joinCode, displayName: 'Late' });
    expect(byCode.status).toBe(409);
    expect(byCode.json.error.code).toBe('session_closed');
    const byJoin = await mate.client.post(`/api/sessions/${session.id}/join`);
    expect(byJoin.json.error.code).toBe('session_closed');
  });
});

describe('a round', () => {
  it('shows who has voted but no card until the reveal, then the cards and their statistics', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann', 'Bob', 'Cy'], { autoReveal: false });
    expect(round).toBe(1);
    expect((await vote(guests[0]!.client, session.id, issueId, round, '3')).status).toBe(200);
    expect((await vote(guests[1]!.client, session.id, issueId, round, '8')).status).toBe(200);
    const before = await poll(guests[2]!.client, session.id);
    expect(before.json).toMatchObject({ round: 1, revealed: false, votes: null, statistics: null, everyoneVoted: false, currentIssue: { id: issueId, title: 'Login page' } });
    expect(before.json.participants.map((p: { hasVoted: boolean }) => p.hasVoted)).toEqual([true, true, false]);
    expect((await vote(guests[2]!.client, session.id, issueId, round, '8')).status).toBe(200);
    const all = await poll(owner.client, session.id);
    expect(all.json).toMatchObject({ everyoneVoted: true, revealed: false, votes: null });
    const revealed = await owner.client.post(`/api/sessions/${session.id}/reveal`, { round });
    expect(revealed.json).toMatchObject({ revealed: true, round: 1 });
    const after = await poll(guests[0]!.client, session.id);
    expect(after.json.votes).toHaveLength(3);
    expect(after.json.statistics).toMatchObject({ votes: 3, average: 6.33, median: 8, consensus: false, distribution: [{ value: '3', count: 1 }, { value: '8', count: 2 }], spread: { lowest: '3', highest: '8', steps: 2 } });
  });

  it('reveals by itself when the last voter votes (auto-reveal, on by default)', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann', 'Bob']);
    await vote(guests[0]!.client, session.id, issueId, round, '5');
    expect((await poll(owner.client, session.id)).json.revealed).toBe(false);
    await vote(guests[1]!.client, session.id, issueId, round, '5');
    const state = await poll(owner.client, session.id);
    expect(state.json).toMatchObject({ revealed: true, statistics: { consensus: true, average: 5 } });
  });

  it('reveals by itself when the one voter who had not voted becomes a spectator', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann', 'Bob']);
    await vote(guests[0]!.client, session.id, issueId, round, '2');
    expect((await guests[1]!.client.post(`/api/sessions/${session.id}/join`, { role: 'spectator' })).status).toBe(200);
    expect((await poll(owner.client, session.id)).json).toMatchObject({ revealed: true, votes: [{ participantId: guests[0]!.participantId, value: '2' }] });
  });

  it('refuses a card after the reveal (409 round_revealed) and for an old round (409 stale_round)', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann'], { autoReveal: false });
    await owner.client.post(`/api/sessions/${session.id}/reveal`);
    const late = await vote(guests[0]!.client, session.id, issueId, round, '3');
    expect([late.status, late.json.error.code]).toEqual([409, 'round_revealed']);
    await owner.client.post(`/api/sessions/${session.id}/revote`, { round });
    const stale = await vote(guests[0]!.client, session.id, issueId, round, '3');
    expect([stale.status, stale.json.error.code]).toEqual([409, 'stale_round']);
  });

  it('clears the cards on a re-vote and counts the round up; a double click does not skip a round', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann', 'Bob']);
    await vote(guests[0]!.client, session.id, issueId, round, '1');
    await vote(guests[1]!.client, session.id, issueId, round, '13');
    const clicks = await Promise.all([1, 2].map(() => owner.client.post(`/api/sessions/${session.id}/revote`, { round })));
    expect(clicks.map((c) => c.status).sort()).toEqual([200, 409]);
    const state = await poll(guests[0]!.client, session.id);
    expect(state.json).toMatchObject({ round: 2, revealed: false, votes: null, me: { vote: null } });
    expect(state.json.participants.every((p: { hasVoted: boolean }) => !p.hasVoted)).toBe(true);
    expect((await vote(guests[0]!.client, session.id, issueId, 2, '3')).status).toBe(200);
  });

  it('records a final estimate, from the deck or free, and can clear it', async () => {
    const { session, issueId } = await roomWithGuests([]);
    const res = await owner.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '5' });
    expect(res.json.issue).toMatchObject({ id: issueId, finalEstimate: '5' });
    await owner.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '4.5 days' });
    let state = await poll(owner.client, session.id);
    expect(state.json.issues[0]).toMatchObject({ id: issueId, finalEstimate: '4.5 days', rounds: 1 });
    expect(state.json.issues[0].estimatedAt).toMatch(/^\d{4}-/);
    await owner.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: null });
    state = await poll(owner.client, session.id);
    expect(state.json.issues[0]).toMatchObject({ finalEstimate: null, estimatedAt: null });
  });

  it('continues the round count when an issue is estimated again, so earlier cards never mix in', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann'], { autoReveal: false });
    await vote(guests[0]!.client, session.id, issueId, round, '8');
    const other = (await poll(owner.client, session.id)).json.issues[1].id;
    await startRound(owner, session.id, other);
    expect(await startRound(owner, session.id, issueId)).toBe(2);
    expect((await poll(guests[0]!.client, session.id)).json.me.vote).toBeNull();
  });

  it('refuses every card once the session is closed, and takes them again after reopening', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann']);
    await owner.client.post(`/api/sessions/${session.id}/close`);
    const res = await vote(guests[0]!.client, session.id, issueId, round, '3');
    expect([res.status, res.json.error.code]).toEqual([409, 'session_closed']);
    expect((await poll(guests[0]!.client, session.id)).json.session.status).toBe('closed');
    await owner.client.post(`/api/sessions/${session.id}/reopen`);
    expect((await vote(guests[0]!.client, session.id, issueId, round, '3')).status).toBe(200);
  });
});

describe('votes', () => {
  it('accepts the same card twice without writing it twice, restores it with /mine, and retracts it', async () => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann', 'Bob']);
    const c = guests[0]!.client;
    expect((await vote(c, session.id, issueId, round, '3')).status).toBe(200);
    expect((await vote(c, session.id, issueId, round, '3')).status).toBe(200);
    expect((await c.get(`/api/votes/${session.id}/mine`)).json).toEqual({ vote: { issueId, round, value: '3', note: null } });
    const retract = await c.delete(`/api/votes/${session.id}?issueId=${issueId}&round=${round}`);
    expect(retract.status).toBe(204);
    expect((await c.get(`/api/votes/${session.id}/mine`)).json.vote.value).toBeNull();
    expect((await poll(owner.client, session.id)).json.participants.every((p: { hasVoted: boolean }) => !p.hasVoted)).toBe(true);
  });

  it.each<[string, (r: { issueId: string; round: number }) => object, number, string]>([
    ['a card not in the deck', (r) => ({ ...r, value: '4' }), 400, 'value_not_in_deck'],
    ['an issue that is not being estimated', (r) => ({ ...r, issueId: 'AAAAAAAAAAAAAAAAAAAAAA', value: '3' }), 409, 'not_current_issue'],
    ['a future round', (r) => ({ ...r, round: r.round + 1, value: '3' }), 409, 'stale_round'],
  ])('refuses %s', async (_name, body, status, code) => {
    const { session, issueId, guests, round } = await roomWithGuests(['Ann']);
    const res = await guests[0]!.client.put(`/api/votes/${session.id}`, body({ issueId, round }));
    expect([res.status, res.json.error.code]).toEqual([status, code]);
  });

  it('does not let a spectator or a member who has not joined vote (403 not_a_voter)', async () => {
    const session = await newSession(owner);
    const [issueId] = await addIssues(owner, session.id, ['One']);
    const watcher = await guest(reckon, session.joinCode, 'Watcher', 'spectator');
    await startRound(owner, session.id, issueId!);
    for (const client of [watcher.client, owner.client]) {
      const res = await vote(client, session.id, issueId!, 1, '3');
      expect([res.status, res.json.error.code]).toEqual([403, 'not_a_voter']);
    }
  });
});

describe('moderation', () => {
  it('lets the owner and a team admin moderate, and no other member or guest', async () => {
    const session = await newSession(owner);
    const [issueId] = await addIssues(owner, session.id, ['One']);
    const admin = await teammate(reckon, owner, 'admin');
    const member = await teammate(reckon, owner, 'member');
    const g = await guest(reckon, session.joinCode, 'G');
    expect((await admin.client.post(`/api/sessions/${session.id}/current`, { issueId })).status).toBe(200);
    const byMember = await member.client.post(`/api/sessions/${session.id}/reveal`);
    expect([byMember.status, byMember.json.error.code]).toEqual([403, 'forbidden']);
    expect((await g.client.post(`/api/sessions/${session.id}/reveal`)).status).toBe(401);
    expect((await g.client.post(`/api/sessions/${session.id}/issues`, { issues: [{ title: 'x' }] })).status).toBe(401);
    expect((await poll(member.client, session.id)).json.me.canModerate).toBe(false);
    expect((await poll(admin.client, session.id)).json.me.canModerate).toBe(true);
  });

  it('asks for a current issue before a reveal or a re-vote', async () => {
    const session = await newSession(owner);
    const res = await owner.client.post(`/api/sessions/${session.id}/reveal`);
    expect([res.status, res.json.error.code]).toEqual([409, 'no_current_issue']);
  });
});
