// Issue #20 item 6: the retention job deletes closed sessions older than their team's setting
// (default 365 days) with their issues, votes, participants, summaries and join code, records each
// in the team's audit log, and does it in bounded steps a later run finishes after a crash.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, startRound, vote, type Person } from '../support/rooms.js';
import { newFirestore, databaseDump } from '../support/firestore.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../support/fakes/google-oidc.js';
import { beginSessionDeletion } from '../../shared/store/retention.js';
import { getStoredSession } from '../../shared/store/sessions.js';
import { RETENTION_ACTOR } from '../../shared/jobs/retention.js';

const SCHEDULER = 'scheduler@reckon-prod.iam.gserviceaccount.com';
const DAY = 86_400_000;
let reckon: Reckon;
let google: FakeGoogleOidc;
let db: FirebaseFirestore.Firestore;

beforeAll(async () => {
  google = await startFakeGoogleOidc();
  reckon = await startReckon({ RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_POLL_CACHE_MS: '0' });
  db = newFirestore({ projectId: reckon.projectId });
});
afterAll(async () => { await db.terminate(); await reckon.close(); await google.close(); });

const token = () => google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
const runRetention = async (body?: object, bearer?: string) =>
  new ApiClient(reckon).post('/api/jobs/retention', body, { headers: { origin: undefined, authorization: `Bearer ${bearer ?? await token()}` } });

/** A session with two issues, a guest, two votes revealed; then closed and, when `ageDays`, last changed that long ago. */
async function room(owner: Person, { close = true, ageDays = 0 } = {}): Promise<{ id: string; joinCode: string }> {
  const s = await newSession(owner);
  const [first] = await addIssues(owner, s.id, ['Login page', 'Export']);
  const round = await startRound(owner, s.id, first!);
  await owner.client.post(`/api/sessions/${s.id}/join`, { role: 'voter' });
  const g = await guest(reckon, s.joinCode, 'Gia');
  await Promise.all([vote(owner.client, s.id, first!, round, '5'), vote(g.client, s.id, first!, round, '8')]);
  await owner.client.post(`/api/sessions/${s.id}/reveal`, { round });
  await db.collection('summaries').add({ tenantId: owner.tenant.tenantId, sessionId: s.id, text: 'Agreed on 8.', source: 'statistical', createdAt: Timestamp.now() });
  if (close) expect((await owner.client.post(`/api/sessions/${s.id}/close`)).status).toBe(200);
  if (ageDays) await db.doc(`sessions/${s.id}`).update({ updatedAt: Timestamp.fromMillis(Date.now() - ageDays * DAY) });
  return s;
}

/** Every document a session owns, wherever it is stored. */
async function remains(s: { id: string; joinCode: string }): Promise<string[]> {
  const ref = db.doc(`sessions/${s.id}`);
  const [session, code, summaries, ...subs] = await Promise.all([ref.get(), db.doc(`joinCodes/${s.joinCode}`).get(), db.collection('summaries').where('sessionId', '==', s.id).get(),
    ...['issues', 'votes', 'participants'].map((c) => ref.collection(c).get())]);
  return [...(session.exists ? ['session'] : []), ...(code.exists ? ['joinCode'] : []), ...summaries.docs.map(() => 'summary'), ...subs.flatMap((q) => q.docs.map((d) => d.ref.parent.id))];
}

/** Runs until a run reaches the end of the tenants, so the next one starts a fresh pass. */
async function drain(): Promise<void> {
  for (let i = 0; i < 10; i++) if ((await runRetention()).json.report.done) return;
  throw new Error('retention never finished a pass');
}

const auditOf = async (admin: Person) => (await admin.client.get(`/api/teams/${admin.tenant.tenantId}/audit`)).json.events.filter((e: { action: string }) => e.action === 'session.deleted');

describe('who may run it', () => {
  it('refuses a call without the scheduler\'s token, and a malformed bound, and deletes nothing', async () => {
    const owner = await registeredClient(reckon);
    await room(owner, { ageDays: 400 });
    const before = await databaseDump(reckon.projectId);
    const anonymous = await new ApiClient(reckon).post('/api/jobs/retention', undefined, { headers: { origin: undefined } });
    const browser = await owner.client.post('/api/jobs/retention');
    const [zero, unknown, huge] = await Promise.all([runRetention({ maxSessions: 0 }), runRetention({ everything: true }), runRetention({ maxDeletes: 1e9 })]);
    expect([anonymous.status, browser.status, zero.status, unknown.status, huge.status]).toEqual([401, 401, 400, 400, 400]);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });
});

describe('the retention run', () => {
  it('deletes closed sessions past 365 days with all they hold, keeps recent and open ones, and writes it in the team\'s audit log', async () => {
    const admin = await registeredClient(reckon);
    const [expired, recent, open] = await Promise.all([room(admin, { ageDays: 366 }), room(admin, { ageDays: 300 }), room(admin, { close: false, ageDays: 800 })]);
    expect(await remains(expired)).toContain('votes');
    const res = await runRetention();
    expect(res.status).toBe(200);
    expect(res.json.report).toMatchObject({ skipped: false, done: true });
    expect(await remains(expired)).toEqual([]);
    expect((await admin.client.get(`/api/sessions/${expired.id}`)).status).toBe(404);
    for (const kept of [recent, open]) expect((await admin.client.get(`/api/sessions/${kept.id}/state`)).status).toBe(200);
    expect((await remains(recent)).length).toBeGreaterThan(5);
    const events = await auditOf(admin);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ target: { type: 'session', id: expired.id }, details: { reason: 'retention', retentionDays: 365, name: 'Sprint 42' } });
    expect(events[0].actor.uid).toBe(RETENTION_ACTOR);
  });

  it('keeps a team\'s sessions as long as its admin set (PATCH /api/teams/:id)', async () => {
    const admin = await registeredClient(reckon);
    expect((await admin.client.patch(`/api/teams/${admin.tenant.tenantId}`, { sessionRetentionDays: 730 })).status).toBe(200);
    const [kept, gone] = await Promise.all([room(admin, { ageDays: 400 }), room(admin, { ageDays: 731 })]);
    expect((await runRetention()).status).toBe(200);
    expect((await remains(kept)).length).toBeGreaterThan(5);
    expect(await remains(gone)).toEqual([]);
  });

  it('is bounded: a run takes at most so many sessions, and the next run carries on', async () => {
    const admin = await registeredClient(reckon);
    const rooms = await Promise.all([room(admin, { ageDays: 500 }), room(admin, { ageDays: 501 })]);
    const first = await runRetention({ maxSessions: 1 });
    expect(first.json.report).toMatchObject({ sessions: 1, done: false });
    expect((await Promise.all(rooms.map(remains))).filter((r) => r.length === 0)).toHaveLength(1);
    const second = await runRetention({ maxSessions: 1 });
    expect(second.json.report.sessions).toBe(1);
    for (const r of rooms) expect(await remains(r)).toEqual([]);
    expect(await auditOf(admin)).toHaveLength(2);
  });

  it('finishes after a crash right after the session vanished, and after a run stopped between two batches', async () => {
    const admin = await registeredClient(reckon);
    await drain();
    const [crashed, stopped] = await Promise.all([room(admin, { ageDays: 400 }), room(admin, { ageDays: 401 })]);
    // The state a crash after step 1 leaves: the session gone (with its audit event), everything in it still there.
    const stored = (await getStoredSession(crashed.id))!;
    expect(await beginSessionDeletion(stored, { tenantId: admin.tenant.tenantId, at: Date.now(), actorUid: RETENTION_ACTOR, action: 'session.deleted', target: { type: 'session', id: crashed.id }, details: { name: stored.record.name, reason: 'retention', retentionDays: 365 } }, Date.now())).toBe(true);
    expect(await remains(crashed)).not.toContain('session');
    expect((await remains(crashed)).length).toBeGreaterThan(5);
    expect((await admin.client.get(`/api/sessions/${crashed.id}`)).status).toBe(404);
    // A run that may delete only 3 documents finishes nothing of the crashed one and stops.
    const partial = await runRetention({ maxDeletes: 3 });
    expect(partial.json.report).toMatchObject({ documents: 3, resumed: 0, done: false });
    const resumed = await runRetention();
    expect(resumed.json.report).toMatchObject({ resumed: 1, sessions: 1, done: true });
    for (const r of [crashed, stopped]) expect(await remains(r)).toEqual([]);
    expect((await db.collection('retentionQueue').get()).size).toBe(0);
    expect(await auditOf(admin)).toHaveLength(2); // one per session: the resumed one is not recorded twice
  });

  it('deletes each session once when runs overlap', async () => {
    const admin = await registeredClient(reckon);
    await drain();
    const rooms = await Promise.all([room(admin, { ageDays: 400 }), room(admin, { ageDays: 402 }), room(admin, { ageDays: 404 })]);
    const runs = await Promise.all([runRetention(), runRetention(), runRetention()]);
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200]);
    const notSkipped = runs.filter((r) => !r.json.report.skipped);
    expect(notSkipped.reduce((n, r) => n + r.json.report.sessions, 0)).toBe(3);
    for (const r of rooms) expect(await remains(r)).toEqual([]);
    expect(await auditOf(admin)).toHaveLength(3);
  });
});
