// Issue #15, item 8: reads are throttled without touching a real room's poll, and a team's open
// sessions are capped (409 limit_reached).
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { countOpenSessionsOfTenant, createSession, OpenSessionGateMovedError, readOpenSessionGate, type SessionRecord } from '../../shared/store/sessions.js';
import { guest, newSession, poll, teammate, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  reckon = await startReckon();
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });
afterEach(() => { vi.useRealTimers(); });

const atMinuteStart = () => vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Math.ceil(Date.now() / 60_000) * 60_000 + 50 });

describe('item 8: the poll is throttled per caller, and a real participant never notices', () => {
  it('a guest polling 300 random session ids at once gets 429 after 120 (misses cost a read each)', async () => {
    const s = await newSession(owner);
    const g = await guest(reckon, s.joinCode, 'Prober');
    atMinuteStart();
    const res = await Promise.all(Array.from({ length: 300 }, () => poll(g.client, randomBytes(16).toString('base64url'))));
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((x) => x === 404).length).toBeLessThanOrEqual(120);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(180);
    const refused = res.find((r) => r.status === 429)!;
    expect(refused.json.error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('repeating the guest token in the cookie buys no more polls: the same caller shares one budget', async () => {
    const s = await newSession(owner);
    const g = await guest(reckon, s.joinCode, 'Copier');
    const token = g.client.cookie!.replace(/^__session=/, '');
    const copies = [1, 2, 3, 4].map((n) => { const c = new ApiClient(reckon); c.cookie = `__session=${Array(n).fill(token).join('~')}`; return c; });
    atMinuteStart();
    const res = await Promise.all(copies.flatMap((c) => Array.from({ length: 60 }, () => poll(c, s.id))));
    expect(res.filter((r) => r.status === 200 || r.status === 304).length).toBeLessThanOrEqual(120);
    expect(res.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(120);
  });

  it('a participant polling every 2 s for ten minutes is never refused', async () => {
    const s = await newSession(owner);
    const g = await guest(reckon, s.joinCode, 'Steady');
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    let etag: string | undefined;
    for (let i = 0; i < 300; i++) {
      vi.setSystemTime(start + i * 2000);
      const r = await poll(g.client, s.id, etag);
      expect([200, 304]).toContain(r.status);
      etag = r.headers.etag as string;
    }
  });
});

describe('item 8: a team has at most 200 open sessions', () => {
  it('creating or reopening past the cap answers 409 limit_reached; closing one makes room', async () => {
    const team = await registeredClient(reckon);
    const tenantId = team.tenant.tenantId;
    const kept = await newSession(team);
    const db = newFirestore({ projectId: reckon.projectId });
    const batch = db.batch();
    for (let i = 0; i < 199; i++) batch.set(db.collection('sessions').doc(`seeded-${tenantId}-${i}`), { tenantId, status: 'open', name: `Old ${i}`, createdAt: Timestamp.now() });
    await batch.commit();
    await db.terminate();

    const sessionsOfTeam = async () => {
      const db2 = newFirestore({ projectId: reckon.projectId });
      const n = (await db2.collection('sessions').where('tenantId', '==', tenantId).get()).size;
      await db2.terminate();
      return n;
    };
    const refused = await team.client.post('/api/sessions', { tenantId, name: 'One too many', deck: 'fibonacci' });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'limit_reached', message: expect.stringContaining('200 open sessions') });
    expect(await sessionsOfTeam()).toBe(200); // the refusal wrote nothing

    expect((await team.client.post(`/api/sessions/${kept.id}/close`)).status).toBe(200);
    const made = await team.client.post('/api/sessions', { tenantId, name: 'Room again', deck: 'fibonacci' });
    expect(made.status).toBe(201);
    const reopened = await team.client.post(`/api/sessions/${kept.id}/reopen`);
    expect(reopened.status).toBe(409);
    expect(reopened.json.error.code).toBe('limit_reached');
    // Another team is not affected.
    expect((await newSession(owner)).id).toBeTruthy();
  });

  const seedOpenSessions = async (tenantId: string, n: number) => {
    const db = newFirestore({ projectId: reckon.projectId });
    const batch = db.batch();
    for (let i = 0; i < n; i++) batch.set(db.collection('sessions').doc(`seeded-${tenantId}-${i}`), { tenantId, status: 'open', name: `Old ${i}`, createdAt: Timestamp.now() });
    await batch.commit();
    await db.terminate();
  };
  const openSessionsOf = async (tenantId: string) => {
    const db = newFirestore({ projectId: reckon.projectId });
    const n = (await db.collection('sessions').where('tenantId', '==', tenantId).where('status', '==', 'open').count().get()).data().count;
    await db.terminate();
    return n;
  };

  it('110 creates at once with 190 open through one instance: exactly 10 are created, the other 100 answer 409 limit_reached, none 503', async () => {
    const admin = await registeredClient(reckon);
    const tenantId = admin.tenant.tenantId;
    const second = await teammate(reckon, admin); // two people: 110 opens stay within each one's 60 an hour
    await seedOpenSessions(tenantId, 190);
    const res = await Promise.all(Array.from({ length: 110 }, (_, i) => (i % 2 ? second : admin).client.post('/api/sessions', { tenantId, name: `Burst ${i}`, deck: 'fibonacci' })));
    // Opens in one instance take turns (shared/store/sessions.ts), so none meets a moved gate:
    // every free place is taken by the burst itself and nothing is left busy (503).
    const t = res.reduce<Record<number, number>>((tally, r) => ({ ...tally, [r.status]: (tally[r.status] ?? 0) + 1 }), {});
    expect(t).toEqual({ 201: 10, 409: 100 });
    for (const r of res.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('limit_reached');
    expect(await openSessionsOf(tenantId)).toBe(200);
    // The burst left no place free: the next create, after it, is refused too.
    expect((await second.client.post('/api/sessions', { tenantId, name: 'One too many', deck: 'fibonacci' })).status).toBe(409);
    expect(await openSessionsOf(tenantId)).toBe(200);
  });

  it('opens from separate instances (no shared queue) that counted the same sessions cannot both commit: the gate holds the cap', async () => {
    const admin = await registeredClient(reckon);
    const tenantId = admin.tenant.tenantId;
    await seedOpenSessions(tenantId, 195);
    const now = Date.now(); // one millisecond for all: the gate must change even when its time does not
    const session = (i: number): SessionRecord => ({
      id: `instance-${tenantId}-${i}`, tenantId, clientId: null, name: `From instance ${i}`, ownerUid: admin.user.uid, deck: { name: 'fibonacci' },
      status: 'open', autoReveal: false, joinCode: `J${i}-${tenantId}`, currentIssueId: null, round: 0, revealed: false, stateVersion: 0,
      createdAt: now, issuesVersion: 0, participantsVersion: 0, issueCount: 0, nextIssueOrder: 0,
    });
    // Each of 30 "instances" reads the gate, counts, and commits if the count allows, all at once,
    // as the route does in separate Cloud Functions instances; again on a moved gate.
    const outcomes = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const gate = await readOpenSessionGate(tenantId, now);
        if (await countOpenSessionsOfTenant(tenantId) >= 200) return 'full';
        try {
          await createSession(session(i), now + 60_000, gate);
          return 'opened';
        } catch (e) {
          if (!(e instanceof OpenSessionGateMovedError)) throw e;
          await new Promise((r) => setTimeout(r, Math.random() * 20));
        }
      }
      return 'gave up';
    }));
    expect(outcomes.filter((o) => o === 'opened').length).toBe(5);
    expect(outcomes.filter((o) => o === 'full').length).toBe(25);
    expect(await openSessionsOf(tenantId)).toBe(200);
  });

  it('reopens and creates at once with 195 open never take the team past 200', async () => {
    const admin = await registeredClient(reckon);
    const tenantId = admin.tenant.tenantId;
    const second = await teammate(reckon, admin, 'admin');
    const closed = await Promise.all(Array.from({ length: 20 }, () => newSession(admin)));
    for (const s of closed) expect((await admin.client.post(`/api/sessions/${s.id}/close`)).status).toBe(200);
    await seedOpenSessions(tenantId, 195);
    const res = await Promise.all([
      ...closed.map((s) => second.client.post(`/api/sessions/${s.id}/reopen`)),
      ...Array.from({ length: 20 }, (_, i) => admin.client.post('/api/sessions', { tenantId, name: `Burst ${i}`, deck: 'fibonacci' })),
    ]);
    const opened = res.filter((r) => r.status === 200 || r.status === 201).length;
    expect(res.every((r) => [200, 201, 409, 503].includes(r.status))).toBe(true);
    expect(opened).toBeLessThanOrEqual(5);
    expect(await openSessionsOf(tenantId)).toBe(195 + opened);
  });

  it('reopens share the per-person limit on opens with creates, so a burst of reopens cannot run past the cap', async () => {
    // From just after an hour starts, so the creates and the reopens fall in one window of the limit.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 50 });
    const team = await registeredClient(reckon);
    const sessions = await Promise.all(Array.from({ length: 40 }, () => newSession(team)));
    for (const s of sessions) expect((await team.client.post(`/api/sessions/${s.id}/close`)).status).toBe(200);
    // 40 of the hour's 60 opens are spent on the creates: of 40 reopens at once, at most 20 pass.
    const res = await Promise.all(sessions.map((s) => team.client.post(`/api/sessions/${s.id}/reopen`)));
    expect(res.filter((r) => r.status === 200).length).toBeLessThanOrEqual(20);
    expect(res.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(20);
    expect(res.find((r) => r.status === 429)!.json.error.code).toBe('rate_limited');
    expect(res.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });
});
