// Who may read insights and what bad input gets (issue #19): periods reversed, too long or out of
// range, another team's client, a portal user asking for the team's numbers, a member asking for
// a client's, and a team with nothing to show yet (the answer says what to do).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startReckon, registeredClient, type Reckon } from '../support/reckon.js';
import { addIssues, newSession, teammate, type Person } from '../support/rooms.js';
import { newClient, portalUser } from '../portal/support.js';
import { databaseDump } from '../support/firestore.js';

let reckon: Reckon;
let admin: Person;
let member: Person;
let tenantId: string;
let clientId: string;
let otherClientId: string;
let viewer: Person;
const thisMonth = () => new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  reckon = await startReckon({ RECKON_RATE_LIMITS: 'off' });
  admin = await registeredClient(reckon);
  tenantId = admin.tenant.tenantId;
  member = await teammate(reckon, admin);
  clientId = await newClient(admin, tenantId, 'Acme');
  const stranger = await registeredClient(reckon);
  otherClientId = await newClient(stranger, stranger.tenant.tenantId, 'Globex');
  viewer = await portalUser(reckon, admin, clientId);
});
afterAll(async () => { await reckon?.close(); });

const get = (who: Person, query: string) => who.client.get(`/api/insights?tenantId=${tenantId}${query}`);

describe('insights: bad input', () => {
  it.each([
    ['a reversed period', '&from=2025-06&to=2025-01', 'query.from'],
    ['a period longer than 24 months', '&from=2020-01&to=2022-06', 'query.to'],
    ['a period ending after this month', '&to=2999-01', 'query.to'],
    ['a period before 2000', '&from=1999-12&to=2000-06', 'query.from'],
    ['a month that is not YYYY-MM', '&from=2025-13', 'query.from'],
    ['a date instead of a month', '&from=2025-01-01', 'query.from'],
    ['an unknown parameter', '&limit=5', 'query'],
  ])('answers 400 invalid_request for %s', async (_name, query, path) => {
    const res = await get(member, query);
    expect([res.status, res.json.error.code]).toEqual([400, 'invalid_request']);
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('answers 404 for a client of another team, as for a missing one', async () => {
    for (const id of [otherClientId, 'no-such-client']) {
      const res = await get(admin, `&clientId=${id}`);
      expect([res.status, res.json.error.code]).toEqual([404, 'not_found']);
    }
  });

  it('refuses a member asking for a client\'s numbers (admins only) with 403', async () => {
    const res = await get(member, `&clientId=${clientId}`);
    expect([res.status, res.json.error.code]).toEqual([403, 'forbidden']);
  });

  it('refuses a portal user asking for the team\'s numbers, as it would a stranger', async () => {
    const before = await databaseDump(reckon.projectId);
    const res = await get(viewer, '');
    expect([res.status, res.json.error.code]).toEqual([404, 'not_found']);
    const other = await viewer.client.get(`/api/insights/portal/${otherClientId}`);
    expect([other.status, other.json.error.code]).toEqual([404, 'not_found']);
    expect(await databaseDump(reckon.projectId)).toEqual(before);
  });

  it('refuses anonymous callers with 401', async () => {
    const { ApiClient } = await import('../support/reckon.js');
    const res = await new ApiClient(reckon).get(`/api/insights?tenantId=${tenantId}`);
    expect(res.status).toBe(401);
  });
});

describe('insights: a team with nothing to show yet', () => {
  it('explains that estimates must be finalized first', async () => {
    const res = await get(member, '');
    expect(res.status).toBe(200);
    expect(res.json.period).toEqual({ from: expect.stringMatching(/^\d{4}-\d{2}$/), to: thisMonth() });
    expect(res.json.cards).toEqual([]);
    expect(res.json.trend).toHaveLength(12);
    expect(res.json.empty.reason).toBe('no_estimates');
    expect(res.json.empty.message).toMatch(/Finalize estimates/);
  });

  it('explains that Jira must be connected once estimates exist without logged time', async () => {
    const session = await newSession(admin);
    const [issueId] = await addIssues(admin, session.id, ['Without Jira']);
    expect((await admin.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '5' })).status).toBe(200);
    const res = await get(member, '');
    expect(res.json.coverage).toEqual({ finalized: 1, linkedToJira: 0, withTimeLogged: 0, openInJira: 0 });
    expect(res.json.cards).toEqual([{ card: '5', count: 1, timed: 0, medianHours: null, q1Hours: null, q3Hours: null, hoursPerPoint: null }]);
    expect(res.json.empty.reason).toBe('no_jira');
    expect(res.json.empty.message).toMatch(/connect Jira/);
  });

  it('gives the portal user of the client an empty view without sessions', async () => {
    const res = await viewer.client.get(`/api/insights/portal/${clientId}`);
    expect(res.status).toBe(200);
    expect(res.json.scope).toEqual({ tenantId, clientId });
    expect(res.json.empty.reason).toBe('no_estimates');
  });
});

describe('insights: bursts', () => {
  it('counts every one of many concurrent finalizes in the team\'s aggregate', async () => {
    const session = await newSession(admin);
    const ids = await addIssues(admin, session.id, Array.from({ length: 12 }, (_, i) => `Burst ${i}`));
    const results = await Promise.all(ids.map((issueId) => admin.client.post(`/api/sessions/${session.id}/finalize`, { issueId, estimate: '3' })));
    expect(results.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const res = await get(member, '');
    expect(res.json.cards.find((c: { card: string }) => c.card === '3').count).toBe(12);
    expect(res.json.coverage.finalized).toBe(13);
  });
});
