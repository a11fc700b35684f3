// Insights under concurrent changes (issue #19): bursts of finalizes and re-estimates of the same
// and of different issues, deletes racing re-estimates, a session given another client while its
// issues are finalized, Jira time arriving by a re-import, the backfill racing finalizes — and
// after each, the numbers the API gives against a recomputation from the issues themselves.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, startReckon, registeredClient, type Reckon } from '../support/reckon.js';
import { addIssues, newSession, startRound, teammate, vote, type Person } from '../support/rooms.js';
import { newClient } from '../portal/support.js';
import { newFirestore } from '../support/firestore.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../support/fakes/google-oidc.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-insights-races-token-19';
const SCHEDULER = 'scheduler@reckon-prod.iam.gserviceaccount.com';

let reckon: Reckon;
let jira: FakeJira;
let google: FakeGoogleOidc;
let admin: Person;
let member: Person;
let tenantId: string;
let clientId: string;
let otherClientId: string;
let connectionId: string;

const month = (offset: number) => { const d = new Date(); d.setUTCDate(1); d.setUTCMonth(d.getUTCMonth() + offset); return d.toISOString().slice(0, 7); };
const PERIOD = () => `from=${month(-1)}&to=${month(0)}`;

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN, bigProject: 40 });
  google = await startFakeGoogleOidc();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_RATE_LIMITS: 'off' });
  admin = await registeredClient(reckon);
  tenantId = admin.tenant.tenantId;
  member = await teammate(reckon, admin);
  clientId = await newClient(admin, tenantId, 'Acme');
  otherClientId = await newClient(admin, tenantId, 'Initech');
  const res = await admin.client.post('/api/jira/connections', { tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN });
  expect(res.status).toBe(201);
  connectionId = res.json.connection.id;
}, 120_000);
afterAll(async () => { await reckon?.close(); await jira?.close(); await google?.close(); });

interface Recount { finalized: number; timed: number; cards: Record<string, { count: number; timed: number }> }

/** The numbers straight from the stored issues and sessions (no aggregate), for the team or one client. */
async function recount(scope: string | null): Promise<Recount> {
  const db = newFirestore({ projectId: reckon.projectId });
  try {
    const sessions = new Map((await db.collection('sessions').where('tenantId', '==', tenantId).get()).docs.map((d) => [d.id, d.get('clientId') ?? null]));
    const out: Recount = { finalized: 0, timed: 0, cards: {} };
    for (const d of (await db.collectionGroup('issues').where('tenantId', '==', tenantId).get()).docs) {
      const card = d.get('finalEstimate') as string | null;
      if (card === null || card === undefined) continue;
      if (scope !== null && sessions.get(d.ref.parent.parent!.id) !== scope) continue;
      const timed = (d.get('jira')?.timeSpentSeconds ?? 0) > 0 ? 1 : 0;
      out.finalized++; out.timed += timed;
      const c = (out.cards[card] ??= { count: 0, timed: 0 });
      c.count++; c.timed += timed;
    }
    return out;
  } finally { await db.terminate(); }
}

async function fromApi(scope: string | null): Promise<Recount> {
  const res = await admin.client.get(`/api/insights?tenantId=${tenantId}&${PERIOD()}${scope ? `&clientId=${scope}` : ''}`);
  expect(res.status).toBe(200);
  return {
    finalized: res.json.coverage.finalized, timed: res.json.coverage.withTimeLogged,
    cards: Object.fromEntries(res.json.cards.map((c: { card: string; count: number; timed: number }) => [c.card, { count: c.count, timed: c.timed }])),
  };
}

async function expectAgreement(): Promise<void> {
  for (const scope of [null, clientId, otherClientId]) expect(await fromApi(scope)).toEqual(await recount(scope));
}

const finalize = (sessionId: string, issueId: string, estimate: string | null) => admin.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate });

async function runJob(name: 'jira-sync' | 'insights-backfill', body?: object) {
  const token = await google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
  return new ApiClient(reckon).post(`/api/jobs/${name}`, body, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
}

describe('insights under concurrent changes', () => {
  it('counts an issue once however many concurrent finalizes and re-estimates it gets', async () => {
    const session = await newSession(admin, { clientId });
    const [one, two] = await addIssues(admin, session.id, ['Contended', 'Also contended']);
    const cards = ['1', '2', '3', '5', '8', '13', '1', '2', '3', '5'];
    const results = await Promise.all(cards.flatMap((c) => [finalize(session.id, one!, c), finalize(session.id, two!, c)]));
    expect(results.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    await expectAgreement();
  });

  it('keeps the counts right when deletes race re-estimates and clearing estimates', async () => {
    const session = await newSession(admin);
    const ids = await addIssues(admin, session.id, Array.from({ length: 8 }, (_, i) => `Race ${i}`));
    await Promise.all(ids.map((id) => finalize(session.id, id, '5')));
    await Promise.all(ids.flatMap((id, n) => [
      n % 2 ? admin.client.delete(`/api/sessions/${session.id}/issues/${id}`) : finalize(session.id, id, null),
      finalize(session.id, id, '8'), finalize(session.id, id, '3'),
    ]));
    await expectAgreement();
  });

  it('moves every issue with the session when its client changes while issues are finalized', async () => {
    const session = await newSession(admin, { clientId });
    const ids = await addIssues(admin, session.id, Array.from({ length: 8 }, (_, i) => `Moving ${i}`));
    await Promise.all([
      ...ids.map((id) => finalize(session.id, id, '2')),
      admin.client.patch(`/api/sessions/${session.id}`, { clientId: otherClientId }),
      admin.client.patch(`/api/sessions/${session.id}`, { clientId: null }),
      admin.client.patch(`/api/sessions/${session.id}`, { clientId }),
    ]);
    await expectAgreement();
  });

  it('changes nothing when the backfill runs concurrently with finalizes, and twice', async () => {
    const session = await newSession(admin, { clientId: otherClientId });
    const ids = await addIssues(admin, session.id, Array.from({ length: 6 }, (_, i) => `Backfilled ${i}`));
    const [a, b] = await Promise.all([runJob('insights-backfill', { maxSessions: 50 }), runJob('insights-backfill', { maxSessions: 50 }), ...ids.map((id) => finalize(session.id, id, '13'))]);
    expect([a!.status, b!.status]).toEqual([200, 200]);
    await expectAgreement();
    const again = await runJob('insights-backfill', { maxSessions: 50 });
    expect(again.json.report).toMatchObject({ updated: 0 });
    await expectAgreement();
  });

  it('counts the time Jira logged on a finalized issue when the issue is imported again', async () => {
    const session = await newSession(admin, { clientId });
    const first = await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys: ['BIG-1', 'BIG-2'] });
    expect(first.status).toBe(200);
    for (const c of first.json.created as { id: string }[]) expect((await finalize(session.id, c.id, '5')).status).toBe(200);
    jira.options.changed = { ...jira.options.changed, 'BIG-1': { timespent: 7200 }, 'BIG-2': { timespent: 3600 } };
    const again = await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys: ['BIG-1', 'BIG-2'] });
    expect(again.status).toBe(200);
    await expectAgreement();
    // The sync finds nothing new on the issues afterwards: it must not be what brings the time in.
    expect((await runJob('jira-sync')).status).toBe(200);
    await expectAgreement();
  });

  it('keeps the counts right when a re-estimate races the Jira sync writing time', async () => {
    const session = await newSession(admin);
    const imported = await admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys: ['BIG-10', 'BIG-11', 'BIG-12'] });
    const ids = (imported.json.created as { id: string }[]).map((c) => c.id);
    await Promise.all(ids.map((id) => finalize(session.id, id, '3')));
    jira.options.changed = { ...jira.options.changed, 'BIG-10': { timespent: 9000 }, 'BIG-11': { timespent: 1800 }, 'BIG-12': { timespent: 900 } };
    const [sync] = await Promise.all([runJob('jira-sync'), ...ids.map((id) => finalize(session.id, id, '8')), ...ids.map((id) => finalize(session.id, id, '1'))]);
    expect(sync!.status).toBe(200);
    await expectAgreement();
  });

  it('counts the first round of an issue finalized before it was voted on, once the team votes and finalizes it again', async () => {
    const consensus = async () => (await admin.client.get(`/api/insights?tenantId=${tenantId}&${PERIOD()}`)).json.consensus;
    const session = await newSession(admin);
    const [issueId] = await addIssues(admin, session.id, ['Decided, then voted']);
    expect((await finalize(session.id, issueId!, '5')).status).toBe(200);
    const before = await consensus();
    const round = await startRound(admin, session.id, issueId!);
    expect((await admin.client.post(`/api/sessions/${session.id}/join`, {})).status).toBeLessThan(300);
    expect((await vote(admin.client, session.id, issueId!, round, '8')).status).toBeLessThan(300);
    expect((await admin.client.post(`/api/sessions/${session.id}/reveal`, {})).status).toBe(200);
    expect((await finalize(session.id, issueId!, '8')).status).toBe(200);
    const after = await consensus();
    expect([after.voted - before.voted, after.firstRoundAgreed - before.firstRoundAgreed]).toEqual([1, 1]);
  });

  it('lets a member read only the team\'s numbers', async () => {
    expect((await member.client.get(`/api/insights?tenantId=${tenantId}&clientId=${clientId}`)).status).toBe(403);
    expect((await member.client.get(`/api/insights?tenantId=${tenantId}`)).status).toBe(200);
  });
});
