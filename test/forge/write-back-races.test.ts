// The write-back counters under races (issue #21 review): whatever runs at once — reports about one
// issue, retries, a new estimate, a deletion, the issue asked for again from Jira — the session's
// counters end equal to what the room shows per issue, never below zero; a refused call writes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump, newFirestore } from '../support/firestore.js';
import { addIssues, guest, newSession, poll, teammate, type Person } from '../support/rooms.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { bindSite } from '../support/forge.js';
import { sendSigned } from '../../shared/forge/signing-client.js';
import { writeBackLabel } from '../../web/src/components/room/write-back-label.js';

const SITE = 'https://acme-poker.atlassian.net';
const KEYS = ['RACE-1', 'RACE-2', 'RACE-3', 'RACE-4', 'RACE-5'];
let reckon: Reckon;
let forge: FakeForge;
let acme: Person;
let globex: Person;
let site: { cloudId: string; secret: string };
let sessionId: string;
const ids: Record<string, string> = {};

const signed = (method: 'GET' | 'POST', path: string, json?: unknown) =>
  sendSigned(reckon.url, { secrets: [site.secret], cloudId: site.cloudId, method, path, json }) as Promise<{ status: number; body: any }>;
const outcome = (key: string, status: string, estimate = '5', message = '') => ({ key, sessionId, issueId: ids[key], estimate, status, message });
const report = (...outcomes: object[]) => signed('POST', '/api/forge/write-back', { outcomes });
const request = (keys: string[]) => signed('POST', '/api/forge/events', { type: 'estimation_requested', cloudId: site.cloudId, siteUrl: SITE, issues: keys.map((key) => ({ key, fields: { summary: `Issue ${key}` } })) });
const finalize = (key: string, estimate: string | null) => acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: ids[key], estimate });
const retryOne = (key: string) => acme.client.post(`/api/forge/write-backs/${sessionId}/${ids[key]}/retry`);
const retryAll = () => acme.client.post(`/api/forge/write-backs/${sessionId}/retry`);

async function counters() {
  return (await acme.client.get(`/api/sessions?tenantId=${acme.tenant.tenantId}`)).json.sessions.find((s: { id: string }) => s.id === sessionId).writeBacks;
}
async function countedInRoom() {
  const kinds = (await poll(acme.client, sessionId)).json.issues.map((i: any) => writeBackLabel(i.jira?.writeBack ?? null, i.finalEstimate)?.kind);
  const n = (k: string) => kinds.filter((x: string | undefined) => x === k).length;
  return { written: n('written'), keptByHand: n('kept'), failed: n('failed'), pending: n('pending') };
}
/** The invariant: the session's counters are what the room shows, never negative. */
async function expectCountersMatchRoom() {
  const [stored, room] = [await counters(), await countedInRoom()];
  expect(stored).toEqual(room);
  // The API reads a negative counter as 0: the stored value itself must never go below zero.
  const db = newFirestore({ projectId: reckon.projectId });
  const raw = ((await db.collection('sessions').doc(sessionId).get()).get('writeBacks') ?? {}) as Record<string, number>;
  await db.terminate();
  for (const k of ['written', 'keptByHand', 'failed', 'pending']) expect(raw[k] ?? 0).toBe(room[k as keyof typeof room]);
  return room;
}

beforeAll(async () => {
  forge = await startFakeForge();
  reckon = await startReckon({ ...forge.env, RECKON_POLL_CACHE_MS: '0' });
  acme = await registeredClient(reckon);
  globex = await registeredClient(reckon);
  site = await bindSite(reckon, forge, acme);
  const requested = await request(KEYS);
  sessionId = requested.body.sessionId;
  for (const c of requested.body.created) ids[c.key] = c.id;
  for (const key of KEYS) expect((await finalize(key, '5')).status).toBe(200);
});
afterAll(async () => { await reckon.close(); await forge.close(); });

describe('write-back counters stay equal to the room under races', () => {
  it('keeps a written outcome when the issue is asked for again from Jira (counters and lastWrittenEstimate)', async () => {
    await report(outcome('RACE-1', 'written'));
    expect(await expectCountersMatchRoom()).toMatchObject({ written: 1 });
    expect((await request(['RACE-1'])).body.updated.map((u: { key: string }) => u.key)).toEqual(['RACE-1']);
    expect(await expectCountersMatchRoom()).toMatchObject({ written: 1 });
    // The app must still know Reckon wrote 5 there, or it would take its own value for a human's.
    const est = await signed('GET', '/api/forge/estimates?keys=RACE-1');
    expect(est.body.estimates[0]).toMatchObject({ writeBack: { status: 'written', estimate: '5' }, lastWrittenEstimate: '5' });
  });

  it('still knows the estimate written last after a new estimate fails and is retried', async () => {
    expect((await finalize('RACE-1', '8')).status).toBe(200);
    await report(outcome('RACE-1', 'failed', '8', 'Jira answered 500.'));
    expect((await retryOne('RACE-1')).status).toBe(200);
    const est = await signed('GET', '/api/forge/estimates?keys=RACE-1');
    // Jira still holds Reckon's 5: the app may replace it with 8, not take it for a human's value.
    expect(est.body.estimates[0]).toMatchObject({ finalEstimate: '8', writeBack: { status: 'retry', estimate: '8' }, lastWrittenEstimate: '5' });
    await report(outcome('RACE-1', 'written', '8'));
    expect((await signed('GET', '/api/forge/estimates?keys=RACE-1')).body.estimates[0].lastWrittenEstimate).toBe('8');
    expect(await expectCountersMatchRoom()).toMatchObject({ written: 1 });
  });

  it('a burst of single retries racing reports about the same issue', async () => {
    for (let round = 0; round < 3; round++) {
      await report(outcome('RACE-2', 'failed', '5', 'not on the screen'));
      const results = await Promise.all([
        ...Array.from({ length: 6 }, () => retryOne('RACE-2')),
        ...Array.from({ length: 6 }, (_, n) => report(outcome('RACE-2', n % 2 ? 'written' : 'failed', '5', 'again'))),
      ]);
      for (const r of results) expect([200, 409]).toContain(r.status);
      await expectCountersMatchRoom();
    }
  });

  it('retries of the whole session racing reports, a re-estimate and the issue asked for again', async () => {
    await report(outcome('RACE-3', 'failed'), outcome('RACE-4', 'failed'));
    const results = await Promise.all([
      retryAll(), retryAll(), retryOne('RACE-3'), retryOne('RACE-4'),
      report(outcome('RACE-3', 'written'), outcome('RACE-4', 'skipped_changed_by_hand')),
      report(outcome('RACE-3', 'failed'), outcome('RACE-4', 'failed')),
      finalize('RACE-4', '8'), request(['RACE-3', 'RACE-4']),
    ]);
    for (const r of results) expect(r.status).toBeLessThan(500);
    await expectCountersMatchRoom();
    expect((await finalize('RACE-4', '5')).status).toBe(200);
    await expectCountersMatchRoom();
  });

  it('a report racing the deletion of its issue', async () => {
    await report(outcome('RACE-5', 'failed'));
    const results = await Promise.all([
      report(outcome('RACE-5', 'written')), retryOne('RACE-5'), retryAll(),
      acme.client.delete(`/api/sessions/${sessionId}/issues/${ids['RACE-5']}`), report(outcome('RACE-5', 'skipped_changed_by_hand')),
    ]);
    for (const r of results) expect(r.status).toBeLessThan(500);
    const room = await expectCountersMatchRoom();
    for (const v of Object.values(room)) expect(v).toBeGreaterThanOrEqual(0);
  });
});

describe('refused write-back calls change nothing', () => {
  it('the session retry: anonymous 401, another team and a missing session 404, a member 403, a guest 401/403', async () => {
    const path = `/api/forge/write-backs/${sessionId}/retry`;
    const member = await teammate(reckon, acme, 'member');
    const session = (await acme.client.get(`/api/sessions?tenantId=${acme.tenant.tenantId}`)).json.sessions.find((s: { id: string }) => s.id === sessionId);
    const visitor = await guest(reckon, session.joinCode, 'Visitor');
    await report(outcome('RACE-2', 'failed', '5', 'refused'));
    const before = await databaseDump(reckon.projectId);
    expect((await new ApiClient(reckon).post(path)).status).toBe(401);
    expect((await globex.client.post(path)).status).toBe(404);
    expect((await member.client.post(path)).status).toBe(403);
    expect([401, 403, 404]).toContain((await visitor.client.post(path)).status);
    expect((await acme.client.post(`/api/forge/write-backs/${'x'.repeat(65)}/retry`)).status).toBe(400);
    expect((await acme.client.post(`/api/forge/write-backs/nope/retry`)).status).toBe(404);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it("a signed report about another team's issue records nothing in that team's session", async () => {
    const theirs = await newSession(globex);
    const [issueId] = await addIssues(globex, theirs.id, ['Theirs']);
    const sessionDoc = async () => (await databaseDump(reckon.projectId)).split('\n').filter((l) => l.startsWith(`sessions/${theirs.id}`)).join('\n');
    const before = await sessionDoc();
    const res = await report({ key: 'RACE-2', sessionId: theirs.id, issueId, estimate: '5', status: 'written', message: '' });
    expect([res.status, res.body.recorded, res.body.ignored]).toEqual([200, 0, [issueId]]);
    expect(await sessionDoc()).toBe(before);
  });

  it.each<[string, () => unknown]>([
    ['no outcomes', () => ({ outcomes: [] })],
    ['101 outcomes', () => ({ outcomes: Array.from({ length: 101 }, () => outcome('RACE-2', 'written')) })],
    ['an unknown status', () => ({ outcomes: [outcome('RACE-2', 'deleted')] })],
    ['an extra field', () => ({ outcomes: [{ ...outcome('RACE-2', 'written'), extra: 1 }] })],
    ['a huge message', () => ({ outcomes: [outcome('RACE-2', 'failed', '5', 'm'.repeat(200_000))] })],
    ['a bad session id', () => ({ outcomes: [{ ...outcome('RACE-2', 'written'), sessionId: '../x' }] })],
    ['not an object', () => [outcome('RACE-2', 'written')]],
    ['a 2 MB body', () => ({ outcomes: [outcome('RACE-2', 'written')], pad: 'x'.repeat(2_000_000) })],
  ])('a report with %s: 4xx, nothing written', async (_name, body) => {
    const before = await databaseDump(reckon.projectId);
    const refused = await signed('POST', '/api/forge/write-back', body());
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });
});
