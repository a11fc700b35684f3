// The scheduled Jira sync: OIDC from the scheduler only; imported issues follow Jira (fields,
// story points, time logged), vanished ones are marked; idempotent, bounded and resumable.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, poll, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../support/fakes/google-oidc.js';
import { runJiraSync } from '../../shared/jobs/jira-sync.js';
import { READ_POSTS } from '../../shared/integrations/jira/guarded-fetch.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-sync-test-token-0001';
const SCHEDULER = 'scheduler@reckon-prod.iam.gserviceaccount.com';
let reckon: Reckon;
let jira: FakeJira;
let google: FakeGoogleOidc;
let admin: Person;
let sessionId: string;

async function connectAndImport(who: Person): Promise<string> {
  const c = await who.client.post('/api/jira/connections', { tenantId: who.tenant.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
  const s = await newSession(who);
  await who.client.post(`/api/jira/connections/${c.json.connection.id}/import`, { sessionId: s.id, jql: 'project = POKER' });
  return s.id;
}

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  google = await startFakeGoogleOidc();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_POLL_CACHE_MS: '0' });
  admin = await registeredClient(reckon);
  sessionId = await connectAndImport(admin);
});
afterAll(async () => {
  expect(jira.requests.filter((r) => !(r.method === 'GET' || (r.method === 'POST' && READ_POSTS.includes(r.path))))).toEqual([]);
  await reckon.close(); await jira.close(); await google.close();
});
beforeEach(() => { jira.options.changed = undefined; jira.options.gone = undefined; });

/** Cloud Scheduler's call: no cookie, no Origin, an OIDC bearer token. */
const scheduler = {
  run: (token?: string) => new ApiClient(reckon).post('/api/jobs/jira-sync', undefined, { headers: { origin: undefined, ...(token ? { authorization: `Bearer ${token}` } : {}) } }),
};
const schedulerToken = (claims: Record<string, unknown> = {}, options = {}) => google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER, ...claims }, options);
const issueByKey = async (key: string) => (await poll(admin.client, sessionId)).json.issues.find((i: { jira: { key: string } }) => i.jira.key === key);

describe('who may start the sync', () => {
  it.each<[string, () => Promise<string | undefined>]>([
    ['no token', async () => undefined],
    ['a token for another audience', () => schedulerToken({ aud: 'https://elsewhere.example/api/jobs' })],
    ['another service account', () => schedulerToken({ email: 'intruder@evil.iam.gserviceaccount.com' })],
    ['an unverified email', () => schedulerToken({ email_verified: false })],
    ['an expired token', () => schedulerToken({}, { expiresInS: -120 })],
    ['a token signed by another key', () => schedulerToken({}, { otherKey: true })],
    ['another issuer', () => schedulerToken({ iss: 'https://evil.example' })],
    ['a Reckon session token', async () => admin.client.cookie!.split('=')[1]!.split('~')[0]],
  ])('refuses %s with 401 and reads nothing from Jira', async (_name, token) => {
    const before = jira.requests.length;
    const res = await scheduler.run(await token());
    expect([res.status, res.json.error.code]).toEqual([401, 'unauthenticated']);
    expect(jira.requests.length).toBe(before);
  });
});

describe('the sync', () => {
  it('brings changed issues up to date, records time logged, and marks issues Jira no longer shows', async () => {
    jira.options.changed = { 'POKER-12': { summary: 'Re-open voting after a revote', customfield_10028: 8, timespent: 7200, status: { name: 'Done', id: '10001' } } };
    jira.options.gone = ['WEB-3'];
    const res = await scheduler.run(await schedulerToken());
    expect(res.status).toBe(200);
    expect(res.json.report).toMatchObject({ skipped: false, connections: 1, sessions: 1, updated: 1, gone: 1, failed: [], done: true });
    const shown = await issueByKey('POKER-12');
    expect(shown).toMatchObject({ title: 'Re-open voting after a revote', jira: { status: 'Done', storyPoints: 8, missing: false } });
    // Time logged is kept for the team's insights; it is not part of the issue's declared API shape.
    const { newFirestore } = await import('../support/firestore.js');
    const stored = await newFirestore({ projectId: reckon.projectId }).doc(`sessions/${sessionId}/issues/${shown.id}`).get();
    expect(stored.get('jira.timeSpentSeconds')).toBe(7200);
    expect((await issueByKey('WEB-3')).jira.missing).toBe(true);
  });

  it('writes nothing when nothing changed (idempotent)', async () => {
    jira.options.changed = { 'POKER-12': { summary: 'Re-open voting after a revote', customfield_10028: 8, timespent: 7200, status: { name: 'Done', id: '10001' } } };
    jira.options.gone = ['WEB-3'];
    // Any write would change an issue (the sync stamps jira.syncedAt); the poll's version also moves with the clock.
    const before = (await poll(admin.client, sessionId)).json.issues;
    const res = await scheduler.run(await schedulerToken());
    expect(res.json.report).toMatchObject({ updated: 0, gone: 0 });
    expect((await poll(admin.client, sessionId)).json.issues).toEqual(before);
  });

  it('skips a connection whose token Jira no longer accepts, and goes on with the others', async () => {
    const other = await registeredClient(reckon);
    await connectAndImport(other);
    const { newFirestore } = await import('../support/firestore.js');
    const db = newFirestore({ projectId: reckon.projectId });
    const broken = (await db.collection('jiraConnections').where('tenantId', '==', other.tenant.tenantId).get()).docs[0]!;
    const mine = (await db.collection('jiraConnections').where('tenantId', '==', admin.tenant.tenantId).get()).docs[0]!;
    // Another tenant's sealed token does not open here: as good as a revoked one.
    await broken.ref.update({ secret: mine.get('secret') });
    const report = (await scheduler.run(await schedulerToken())).json.report;
    expect(report.failed).toEqual([{ connectionId: broken.id, code: 'jira_unavailable' }]);
    expect(report.connections).toBe(2);
    await broken.ref.delete();
  });

  it('runs one at a time, and a bounded run continues where the last one stopped', async () => {
    const extra = await registeredClient(reckon);
    await connectAndImport(extra);
    const [a, b] = await Promise.all([runJiraSync(Date.now()), runJiraSync(Date.now())]);
    expect([a.skipped, b.skipped].sort()).toEqual([false, true]);
    const first = await runJiraSync(Date.now(), { maxConnections: 1 });
    expect(first).toMatchObject({ connections: 1, done: false });
    const second = await runJiraSync(Date.now(), { maxConnections: 1 });
    expect(second).toMatchObject({ connections: 1, done: false });
    const last = await runJiraSync(Date.now(), { maxConnections: 1 });
    expect(last.done).toBe(true);
  });
});
