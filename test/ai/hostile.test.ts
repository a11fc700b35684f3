// Attacks on the AI routes from a review of issue #18: a slow rate limit that must not hold the
// room past the deadline, notes that carry invisible or control characters, and a team that is
// erased with its AI settings and usage.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, poll, startRound, teammate, type Person } from '../support/rooms.js';
import { databaseDump, newFirestore } from '../support/firestore.js';
import { startFakeVertex, type FakeVertex } from '../support/fakes/vertex.js';
import { aiRoom, revealedIssue, setAi, type AiRoom } from './support.js';

let reckon: Reckon;
let vertex: FakeVertex;
let owner: Person;
let room: AiRoom;
beforeAll(async () => {
  vertex = await startFakeVertex();
  // A deadline the backoff between 429 retries runs past: 0.7–1.4 s, then 1.4–2.8 s (jittered).
  reckon = await startReckon({ RECKON_AI_FAKE_URL: vertex.url, RECKON_POLL_CACHE_MS: '0', RECKON_AI_TIMEOUT_MS: '1500', RECKON_AI_RETRY_DELAY_MS: '700' });
  owner = await registeredClient(reckon, { displayName: 'Mary Jackson' });
  room = await aiRoom(reckon, owner);
}, 60_000);
afterAll(async () => {
  await reckon.close();
  await vertex.close();
});
beforeEach(() => { vertex.script = []; vertex.reply = undefined; });

describe('the AI deadline', () => {
  it('bounds the retries of a rate-limited call too: the room gets the statistical summary within the timeout', async () => {
    expect((await setAi(owner, true)).status).toBe(200);
    const issueId = await revealedIssue(room, 'Rate limited for long', [['2', null], ['8', 'Needs a migration']]);
    vertex.script = ['rate_limited', 'rate_limited', 'rate_limited'];
    const started = Date.now();
    const res = await owner.client.post(`/api/ai/sessions/${room.sessionId}/issues/${issueId}/summary`);
    expect([res.status, res.json.summary.source]).toEqual([201, 'statistical']);
    expect(Date.now() - started).toBeLessThan(1500 + 500);
  });
});

describe('notes', () => {
  it('are plain text on one line: control and bidi characters never reach the room', async () => {
    const res = await owner.client.post(`/api/sessions/${room.sessionId}/issues`, { issues: [{ title: 'Spoofed note' }] });
    const issueId = res.json.issues[0].id;
    const round = await startRound(owner, room.sessionId, issueId);
    const cast = await owner.client.put(`/api/votes/${room.sessionId}`, { issueId, round, value: '3', note: 'risk\u0000 is \u202Ewol\u202C\u0007 low\nreally' });
    expect(cast.status).toBe(200);
    expect(cast.json.vote.note).toBe('risk is wol low really');
    await owner.client.post(`/api/sessions/${room.sessionId}/reveal`, {});
    const seen = await poll(room.voters[1]!.client, room.sessionId);
    expect(seen.json.votes).toContainEqual(expect.objectContaining({ value: '3', note: 'risk is wol low really' }));
  });
});

describe('erasing the last member of a team', () => {
  it('leaves none of its AI settings or usage behind', async () => {
    const alone = await registeredClient(reckon);
    const tenantId = alone.tenant.tenantId;
    expect((await setAi(alone, true, 10)).status).toBe(200);
    const session = await newSession(alone);
    const solo: AiRoom = { owner: alone, voters: [alone], sessionId: session.id, joinCode: session.joinCode, tenantId };
    expect((await alone.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' })).status).toBeLessThan(300);
    const issueId = await revealedIssue(solo, 'Solo', [['13', 'big']]);
    expect((await alone.client.post(`/api/ai/sessions/${solo.sessionId}/issues/${issueId}/summary`)).json.summary.source).toBe('gemini');
    expect((await alone.client.delete('/api/auth/me', { password: alone.account.password })).status).toBe(204);
    const db = newFirestore({ projectId: reckon.projectId });
    const left = await Promise.all([db.collection('aiSettings').doc(tenantId).get(), db.collection('aiUsage').where('tenantId', '==', tenantId).get()]);
    await db.terminate();
    expect([left[0].exists, left[1].size]).toEqual([false, 0]);
  });
});

describe('one model call however many ask at once', () => {
  it('two moderators asking for the summary at once: one call of the quota, one summary, the same for both', async () => {
    const admin = await teammate(reckon, owner, 'admin');
    expect((await setAi(owner, true)).status).toBe(200);
    const issueId = await revealedIssue(room, 'Asked twice at once', [['3', null], ['13', 'Unknown API']]);
    vertex.script = ['slow'];
    vertex.slowMs = 400;
    const before = vertex.calls.length;
    const path = `/api/ai/sessions/${room.sessionId}/issues/${issueId}/summary`;
    const [a, b] = await Promise.all([owner.client.post(path), admin.client.post(path)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.json.summary).toEqual(b.json.summary);
    expect(a.json.summary.source).toBe('gemini');
    expect(vertex.calls.length - before).toBe(1);
  });

  it('the whole room fetching the suggestion at the reveal spends one model call, and the quota is left for the summary', async () => {
    const past = await newSession(owner, { name: 'Past sprint' });
    const [pastIssue] = await addIssues(owner, past.id, ['Invoice export to PDF']);
    expect((await owner.client.post(`/api/sessions/${past.id}/finalize`, { issueId: pastIssue, estimate: '5' })).status).toBe(200);
    const used = (await owner.client.get(`/api/ai/teams/${room.tenantId}/settings`)).json.usage[0]?.requests ?? 0;
    expect((await setAi(owner, true, used + 2)).status).toBe(200);
    const issueId = await revealedIssue(room, 'Invoice export to CSV', [['3', null], ['8', null]]);
    const guests = await Promise.all([1, 2, 3, 4, 5].map((n) => guest(reckon, room.joinCode, `Watcher ${n}`, 'spectator')));
    const before = vertex.calls.length;
    const path = `/api/ai/sessions/${room.sessionId}/issues/${issueId}/suggestion`;
    const seen = await Promise.all([...guests.map((g) => g.client.get(path)), ...room.voters.map((v) => v.client.get(path))]);
    expect(seen.map((r) => [r.status, r.json.source])).toEqual(seen.map(() => [200, 'gemini']));
    expect(new Set(seen.map((r) => JSON.stringify(r.json.suggestion))).size).toBe(1);
    expect((await guests[0]!.client.get(path)).json.source).toBe('gemini');
    expect(vertex.calls.length - before).toBe(1);
    const summary = await owner.client.post(`/api/ai/sessions/${room.sessionId}/issues/${issueId}/summary`);
    expect([summary.status, summary.json.summary.source]).toEqual([201, 'gemini']);
  });
});

describe('refused AI requests', () => {
  it('past the quota, or from a member who does not run the room, change nothing in the database', async () => {
    const issueId = await revealedIssue(room, 'Refused twice', [['2', null], ['13', 'Out there']]);
    const used = (await owner.client.get(`/api/ai/teams/${room.tenantId}/settings`)).json.usage[0]?.requests ?? 0;
    expect((await setAi(owner, true, Math.max(1, used))).status).toBe(200);
    if (used === 0) expect((await owner.client.post(`/api/ai/sessions/${room.sessionId}/summary`)).status).toBe(201);
    const path = `/api/ai/sessions/${room.sessionId}/issues/${issueId}/summary`;
    const before = await databaseDump(reckon.projectId);
    const [over, member] = await Promise.all([owner.client.post(path), room.voters[1]!.client.post(path)]);
    expect([over.status, over.json.error.code, member.status, member.json.error.code]).toEqual([429, 'ai_quota_exceeded', 403, 'forbidden']);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });
});
