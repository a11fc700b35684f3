// Issue #15, item 8: reads are throttled without touching a real room's poll, and a team's open
// sessions are capped (409 limit_reached).
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { guest, newSession, poll, type Person } from '../support/rooms.js';

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
