// The sessions list's write-back counters (issue #21): how a session's final estimates fared in
// Jira, kept on the session as reports, retries, new estimates and deletions move issues between
// outcomes — always what the room shows, counted once per issue — and "Retry failed" for the session.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { databaseDump } from '../support/firestore.js';
import { poll, teammate, type Person } from '../support/rooms.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { bindSite } from '../support/forge.js';
import { sendSigned } from '../../shared/forge/signing-client.js';
import { writeBackLabel } from '../../web/src/components/room/write-back-label.js';
import { writeBackSummaryText } from '../../web/src/components/write-back-summary.js';

const SITE = 'https://acme-poker.atlassian.net';
const KEYS = ['POKER-21', 'POKER-22', 'POKER-23', 'POKER-24'];
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
const listed = async (who: Person = acme) =>
  (await who.client.get(`/api/sessions?tenantId=${who.tenant.tenantId}`)).json.sessions.find((s: { id: string }) => s.id === sessionId);

/** What the room shows, counted the way the sessions list counts. */
async function countedInRoom() {
  const kinds = (await poll(acme.client, sessionId)).json.issues.map((i: any) => writeBackLabel(i.jira?.writeBack ?? null, i.finalEstimate)?.kind);
  const n = (k: string) => kinds.filter((x: string | undefined) => x === k).length;
  return { written: n('written'), keptByHand: n('kept'), failed: n('failed'), pending: n('pending') };
}
async function expectCounts(counts: { written: number; keptByHand: number; failed: number; pending: number }) {
  expect((await listed()).writeBacks).toEqual(counts);
  expect(await countedInRoom()).toEqual(counts);
}

beforeAll(async () => {
  forge = await startFakeForge();
  reckon = await startReckon({ ...forge.env, RECKON_POLL_CACHE_MS: '0' });
  acme = await registeredClient(reckon);
  globex = await registeredClient(reckon);
  site = await bindSite(reckon, forge, acme);
  const requested = await signed('POST', '/api/forge/events', { type: 'estimation_requested', cloudId: site.cloudId, siteUrl: SITE, issues: KEYS.map((key) => ({ key, fields: { summary: `Issue ${key}` } })) });
  sessionId = requested.body.sessionId;
  for (const c of requested.body.created) ids[c.key] = c.id;
  for (const key of KEYS) expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: ids[key], estimate: '5' })).status).toBe(200);
});
afterAll(async () => { await reckon.close(); await forge.close(); });

describe('the sessions list counts write-back outcomes per session', () => {
  it('starts at zero, and the page shows nothing then', async () => {
    await expectCounts({ written: 0, keptByHand: 0, failed: 0, pending: 0 });
    expect(writeBackSummaryText((await listed()).writeBacks)).toBeNull();
  });

  it('counts each outcome once per issue, a later report for the same issue replacing the earlier', async () => {
    await report(outcome('POKER-21', 'failed', '5', 'not on the screen'), outcome('POKER-22', 'written'), outcome('POKER-23', 'skipped_changed_by_hand'), outcome('POKER-24', 'failed'));
    await expectCounts({ written: 1, keptByHand: 1, failed: 2, pending: 0 });
    // A report that repeats an issue, and a report replacing an earlier outcome: moved, not added.
    await report(outcome('POKER-24', 'written'), outcome('POKER-24', 'failed', '5', 'again'));
    await report(outcome('POKER-22', 'written'));
    await expectCounts({ written: 1, keptByHand: 1, failed: 2, pending: 0 });
    expect(writeBackSummaryText((await listed()).writeBacks)).toBe('in Jira ✓ 1 / kept the value set by hand 1 / failed 2');
  });

  it('stays equal to the room through a burst of reports about the same issues', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => report(outcome('POKER-21', n % 2 ? 'written' : 'failed'), outcome('POKER-24', n % 3 ? 'failed' : 'skipped_changed_by_hand'))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const room = await countedInRoom();
    expect((await listed()).writeBacks).toEqual(room);
    expect(room.written + room.keptByHand + room.failed).toBe(4);
    // Back to a known state for the tests below.
    await report(outcome('POKER-21', 'failed', '5', 'not on the screen'), outcome('POKER-24', 'failed'));
    await expectCounts({ written: 1, keptByHand: 1, failed: 2, pending: 0 });
  });

  it('lets a moderator retry the failed ones of the session, and nobody else', async () => {
    const path = `/api/forge/write-backs/${sessionId}/retry`;
    const member = await teammate(reckon, acme, 'member');
    const before = await databaseDump(reckon.projectId);
    expect((await member.client.post(path)).status).toBe(403);
    expect((await globex.client.post(path)).status).toBe(404);
    expect((await new ApiClient(reckon).post(path)).status).toBe(401);
    expect((await acme.client.post('/api/forge/write-backs/nope/retry')).status).toBe(404);
    expect(await databaseDump(reckon.projectId)).toBe(before);
    const [a, b] = await Promise.all([acme.client.post(path), acme.client.post(path)]);
    expect([a.json.retried, b.json.retried].sort()).toEqual([0, 2]); // exactly one takes them
    await expectCounts({ written: 1, keptByHand: 1, failed: 0, pending: 2 });
    const est = await signed('GET', `/api/forge/estimates?keys=POKER-21,POKER-24`);
    expect(est.body.estimates.map((e: any) => e.writeBack.status)).toEqual(['retry', 'retry']);
  });

  it('moves an issue out of its counter when the team changes its estimate or deletes it', async () => {
    await report(outcome('POKER-21', 'written'));
    await expectCounts({ written: 2, keptByHand: 1, failed: 0, pending: 1 });
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: ids['POKER-21'], estimate: '8' })).status).toBe(200);
    await expectCounts({ written: 1, keptByHand: 1, failed: 0, pending: 1 });
    expect((await acme.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: ids['POKER-21'], estimate: '5' })).status).toBe(200);
    await expectCounts({ written: 2, keptByHand: 1, failed: 0, pending: 1 }); // the outcome is about 5 again
    expect((await acme.client.delete(`/api/sessions/${sessionId}/issues/${ids['POKER-23']}`)).status).toBe(204);
    await expectCounts({ written: 2, keptByHand: 0, failed: 0, pending: 1 });
  });

  it("does not show another team's counters, and a single retry moves one issue", async () => {
    expect((await globex.client.get(`/api/sessions?tenantId=${acme.tenant.tenantId}`)).status).toBe(404); // other tenants' things answer like missing ones
    await report(outcome('POKER-22', 'failed', '5', 'gone'));
    expect((await acme.client.post(`/api/forge/write-backs/${sessionId}/${ids['POKER-22']}/retry`)).status).toBe(200);
    await expectCounts({ written: 1, keptByHand: 0, failed: 0, pending: 2 });
  });
});
