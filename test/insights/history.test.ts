// Insights over a generated history (issue #19): eight months of a team estimating 320 Jira
// issues (imported from the fake Jira, rounds voted by two people, finalized over HTTP), time
// logged in Jira and brought in by the real sync job month by month, re-estimates, a session
// moved to a client, a deleted issue — and every number the API gives checked against the test's
// own computation from its record of what happened.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { ApiClient, startReckon, registeredClient, type Reckon } from '../support/reckon.js';
import { teammate, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeGoogleOidc, type FakeGoogleOidc } from '../support/fakes/google-oidc.js';
import { newClient, portalUser } from '../portal/support.js';
import { newFirestore } from '../support/firestore.js';
import { expected, hoursOf, seeded, type ModelIssue } from './model.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3x-insights-test-token-19';
const SCHEDULER = 'scheduler@reckon-prod.iam.gserviceaccount.com';
const MONTHS = ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10'];
const PER_MONTH = 40;
const CARDS = ['1', '2', '3', '5', '8', '13'];
const BASE_HOURS: Record<string, number> = { 1: 2, 2: 4, 3: 6, 5: 10, 8: 16, 13: 26 };

let reckon: Reckon;
let jira: FakeJira;
let google: FakeGoogleOidc;
let admin: Person;
let member: Person;
let tenantId: string;
let clientId: string;
let connectionId: string;
const model = new Map<string, ModelIssue>();
const random = seeded(19);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;

/** Moves the clock of this process (Reckon runs in it) to a day of a month, and signs the two people in again. */
async function travelTo(month: string, day = 10): Promise<void> {
  vi.setSystemTime(new Date(`${month}-${String(day).padStart(2, '0')}T12:00:00Z`));
  for (const p of [admin, member]) {
    const res = await p.client.post('/api/auth/login', { email: p.account.email, password: p.account.password });
    expect(res.status).toBe(200);
  }
}

const ok = async (p: Promise<{ status: number; text: string; json: any }>, status = 200) => {
  const res = await p;
  if (res.status !== status) throw new Error(`${res.status} ${res.text}`);
  return res.json;
};

async function runSync(): Promise<void> {
  const token = await google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
  const res = await new ApiClient(reckon).post('/api/jobs/jira-sync', undefined, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.json.report.failed).toEqual([]);
}

/** One month: a session of 40 imported issues, every fourth voted in a round (or two), all finalized, time logged in Jira, synced. */
async function estimateMonth(m: number): Promise<void> {
  const month = MONTHS[m]!;
  await travelTo(month);
  const session = (await ok(admin.client.post('/api/sessions', { tenantId, name: `Sprint ${month}`, deck: 'fibonacci', ...(m % 2 ? { clientId } : {}) }), 201)).session;
  const keys = Array.from({ length: PER_MONTH }, (_, i) => `BIG-${m * PER_MONTH + i + 1}`);
  const imported = await ok(admin.client.post(`/api/jira/connections/${connectionId}/import`, { sessionId: session.id, keys }));
  for (const p of [admin, member]) expect((await p.client.post(`/api/sessions/${session.id}/join`, {})).status).toBeLessThan(300);
  for (const [n, created] of (imported.created as { id: string; key: string }[]).entries()) {
    const card = pick(CARDS);
    const issue: ModelIssue = { key: created.key, sessionId: session.id, issueId: created.id, clientId: m % 2 ? clientId : null, month, card, seconds: null, done: true, voted: false, agreed: false, rounds: 0 };
    if (n % 4 === 0) {
      const { round } = await ok(admin.client.post(`/api/sessions/${session.id}/current`, { issueId: created.id }));
      const other = random() < 0.6 ? card : pick(CARDS);
      await ok(admin.client.put(`/api/votes/${session.id}`, { issueId: created.id, round, value: card }));
      await ok(member.client.put(`/api/votes/${session.id}`, { issueId: created.id, round, value: other }));
      await ok(admin.client.post(`/api/sessions/${session.id}/reveal`, {}));
      Object.assign(issue, { voted: true, agreed: other === card, rounds: 1 });
      if (other !== card) { await ok(admin.client.post(`/api/sessions/${session.id}/revote`, {})); issue.rounds = 2; }
    }
    await ok(admin.client.post(`/api/sessions/${session.id}/finalize`, { issueId: created.id, estimate: card }));
    // 3 in 4 get time in quarter hours around the card's usual effort; the last month has a few far off.
    if (random() < 0.75) {
      const factor = m === MONTHS.length - 1 && n < 3 ? 12 : 0.5 + random() * 1.3;
      issue.seconds = Math.max(1, Math.round(BASE_HOURS[card]! * factor * 4)) * 900;
    }
    issue.done = random() < 0.8;
    model.set(created.id, issue);
  }
  jira.options.changed = Object.fromEntries([...model.values()].map((i) => [i.key, { timespent: i.seconds, status: i.done ? { name: 'Done', id: '10001' } : { name: 'In Progress', id: '3' } }]));
  await runSync();
}

const insights = (who: Person, query: string) => who.client.get(`/api/insights?tenantId=${tenantId}&${query}`);

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2025-03-01T09:00:00Z'));
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN, bigProject: MONTHS.length * PER_MONTH });
  google = await startFakeGoogleOidc();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_SCHEDULER_SA: SCHEDULER, RECKON_OIDC_JWKS_URL: google.jwksUrl, RECKON_POLL_CACHE_MS: '0', RECKON_RATE_LIMITS: 'off' });
  admin = await registeredClient(reckon);
  tenantId = admin.tenant.tenantId;
  member = await teammate(reckon, admin);
  clientId = await newClient(admin, tenantId, 'Acme');
  connectionId = (await ok(admin.client.post('/api/jira/connections', { tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN }), 201)).connection.id;
  for (let m = 0; m < MONTHS.length; m++) await estimateMonth(m);
}, 600_000);

afterAll(async () => {
  vi.useRealTimers();
  await reckon?.close(); await jira?.close(); await google?.close();
});

/** The API's answer against the test's own computation. */
function expectAgreement(body: any, issues: ModelIssue[], months: string[]): void {
  const want = expected(issues, months);
  expect(body.coverage).toEqual(want.coverage);
  expect(body.consensus.voted).toBe(want.consensus.voted);
  expect(body.consensus.firstRoundAgreed).toBe(want.consensus.firstRoundAgreed);
  expect(body.consensus.averageRounds).toBeCloseTo(want.consensus.averageRounds, 2);
  for (const c of body.cards) {
    const w = want.cards[c.card]!;
    expect([c.card, c.count, c.timed]).toEqual([c.card, w.count, w.timed]);
    expect([c.q1Hours, c.medianHours, c.q3Hours]).toEqual([w.q1 ?? null, w.median ?? null, w.q3 ?? null]);
    if (w.median !== undefined) expect(c.hoursPerPoint).toBeCloseTo(w.median / Number(c.card), 2);
  }
  expect(body.cards.map((c: { card: string }) => c.card).sort()).toEqual(Object.keys(want.cards).sort());
  expect(body.calibration.heldShare).toBeCloseTo(want.heldShare, 2);
  expect(body.trend.map((t: any) => ({ month: t.month, finalized: t.finalized, timed: t.timed, held: t.held }))).toEqual(want.trend);
  // Every outlier shown lies outside its card's fences; the far-off ones of the last month are among them.
  for (const o of body.calibration.outliers) expect(want.outliers.has(o.session.issueId)).toBe(true);
}

describe('team insights over a generated history', () => {
  it('gives per-card counts, quartiles, held share, trend, coverage and consensus as the history says', async () => {
    const res = await insights(admin, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expect(res.status).toBe(200);
    expectAgreement(res.json, [...model.values()], MONTHS);
    expect(res.json.empty).toBeNull();
    expect(model.size).toBe(320);
  });

  it('lists the issues whose time lies far outside their card, with links to the session and to Jira', async () => {
    const res = await insights(member, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expect(res.status).toBe(200);
    const farOff = [...model.values()].filter((i) => i.month === MONTHS.at(-1) && hoursOf(i) !== null && hoursOf(i)! > 10 * 2 * Number(i.card) + 8);
    expect(farOff.length).toBeGreaterThan(0);
    const shown = new Map(res.json.calibration.outliers.map((o: any) => [o.session.issueId, o]));
    for (const i of farOff) {
      expect(shown.get(i.issueId)).toMatchObject({ card: i.card, hours: hoursOf(i), direction: 'over', jira: { key: i.key, url: `${SITE}/browse/${i.key}` }, session: { id: i.sessionId, path: `/#/s/${i.sessionId}` } });
    }
  });

  it('counts a narrower period from the same aggregates', async () => {
    const months = MONTHS.slice(2, 5);
    const res = await insights(member, `from=${months[0]}&to=${months.at(-1)}`);
    expect(res.status).toBe(200);
    expectAgreement(res.json, [...model.values()], months);
  });

  it('moves a re-estimated issue out of its old card and month, and a deleted one out of everything', async () => {
    await travelTo(MONTHS.at(-1)!, 20);
    const first = [...model.values()].filter((i) => i.month === MONTHS[0]).slice(0, 5);
    for (const i of first) {
      const card = CARDS[(CARDS.indexOf(i.card) + 1) % CARDS.length]!;
      await ok(admin.client.post(`/api/sessions/${i.sessionId}/finalize`, { issueId: i.issueId, estimate: card }));
      Object.assign(i, { card, month: MONTHS.at(-1) });
    }
    const gone = [...model.values()].find((i) => i.month === MONTHS[1] && i.seconds)!;
    expect((await admin.client.delete(`/api/sessions/${gone.sessionId}/issues/${gone.issueId}`)).status).toBe(204);
    model.delete(gone.issueId);
    const res = await insights(admin, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expectAgreement(res.json, [...model.values()], MONTHS);
  });

  it('gives a client\'s numbers to the team\'s admins and to the client\'s portal users, who see no sessions', async () => {
    const ofClient = () => [...model.values()].filter((i) => i.clientId === clientId);
    const byAdmin = await insights(admin, `clientId=${clientId}&from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expect(byAdmin.status).toBe(200);
    expectAgreement(byAdmin.json, ofClient(), MONTHS);
    const viewer = await portalUser(reckon, admin, clientId);
    const byPortal = await viewer.client.get(`/api/insights/portal/${clientId}?from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expect(byPortal.status).toBe(200);
    expect({ ...byPortal.json, calibration: { ...byPortal.json.calibration, outliers: [] } }).toEqual({ ...byAdmin.json, calibration: { ...byAdmin.json.calibration, outliers: [] } });
    expect(byPortal.text).not.toContain('session');
    expect(byPortal.text).not.toContain(member.account.displayName);
  });

  it('moves a session\'s issues to the client it is given', async () => {
    const session = [...model.values()].find((i) => i.month === MONTHS[2])!.sessionId;
    await ok(admin.client.patch(`/api/sessions/${session}`, { clientId }));
    for (const i of model.values()) if (i.sessionId === session) i.clientId = clientId;
    const res = await insights(admin, `clientId=${clientId}&from=${MONTHS[0]}&to=${MONTHS.at(-1)}`);
    expectAgreement(res.json, [...model.values()].filter((i) => i.clientId === clientId), MONTHS);
  });

  it('rebuilds the same numbers with the backfill job after the aggregates are lost, in bounded resumable runs', async () => {
    const before = (await insights(admin, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`)).json;
    const db = newFirestore({ projectId: reckon.projectId });
    for (const d of (await db.collection('insights').get()).docs) await d.ref.delete();
    for (const d of (await db.collectionGroup('issues').where('tenantId', '==', tenantId).get()).docs) await d.ref.update({ insight: null });
    await db.terminate();
    expect((await insights(admin, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`)).json.coverage.finalized).toBe(0);
    const runs: any[] = [];
    for (let n = 0; n < 10 && !runs.at(-1)?.done; n++) {
      const token = await google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
      const res = await new ApiClient(reckon).post('/api/jobs/insights-backfill', { maxSessions: 3 }, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      runs.push(res.json.report);
    }
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.at(-1).done).toBe(true);
    expect(runs.reduce((s, r) => s + r.updated, 0)).toBe(model.size);
    const after = (await insights(admin, `from=${MONTHS[0]}&to=${MONTHS.at(-1)}`)).json;
    expectAgreement(after, [...model.values()], MONTHS);
    expect({ ...after, calibration: { ...after.calibration, outliers: [] } }).toEqual({ ...before, calibration: { ...before.calibration, outliers: [] } });
    // A second full pass finds nothing to correct.
    const token = await google.sign({ aud: `${reckon.url}/api/jobs`, email: SCHEDULER });
    const again = await new ApiClient(reckon).post('/api/jobs/insights-backfill', { maxSessions: 50 }, { headers: { origin: undefined, authorization: `Bearer ${token}` } });
    expect(again.json.report).toMatchObject({ updated: 0, done: true });
  });
});
