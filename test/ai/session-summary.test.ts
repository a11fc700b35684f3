// The session summary (issue #18 item 5) over HTTP with the fake Vertex AI server: the export's
// text file beside results.csv, the client-safe version in the client portal (no names, no votes,
// no notes, only for the session's own client), and one model call however many moderators ask.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, startRound, teammate, vote, type Person } from '../support/rooms.js';
import { startFakeVertex, type FakeVertex } from '../support/fakes/vertex.js';
import { newClient, portalUser } from '../portal/support.js';
import { setAi } from './support.js';
import { databaseDump } from '../support/firestore.js';

let reckon: Reckon;
let vertex: FakeVertex;
let owner: Person; let admin: Person; let member: Person; let stranger: Person;
let acmeUser: Person; let globexUser: Person;
let acme: string; let globex: string;
let sessionId: string; let globexSession: string; let internal: string;
let openIssue: string;
const NOTE = 'Ann worries the payment provider sandbox is down';

beforeAll(async () => {
  vertex = await startFakeVertex();
  reckon = await startReckon({ RECKON_AI_FAKE_URL: vertex.url, RECKON_POLL_CACHE_MS: '0', RECKON_AI_RETRY_DELAY_MS: '20' });
  owner = await registeredClient(reckon, { displayName: 'Grace Hopper' });
  [admin, member, stranger] = await Promise.all([teammate(reckon, owner, 'admin'), teammate(reckon, owner), registeredClient(reckon)]);
  acme = await newClient(owner, owner.tenant.tenantId, 'Acme');
  globex = await newClient(owner, owner.tenant.tenantId, 'Globex');
  [acmeUser, globexUser] = await Promise.all([portalUser(reckon, owner, acme), portalUser(reckon, owner, globex)]);
  const session = await newSession(owner, { name: 'Acme sprint', clientId: acme });
  sessionId = session.id;
  globexSession = (await newSession(owner, { name: 'Globex sprint', clientId: globex })).id;
  internal = (await newSession(owner, { name: 'Internal' })).id;
  const [checkout, refund] = await addIssues(owner, sessionId, ['Checkout page', 'Refund flow']) as [string, string];
  openIssue = refund;
  const [ann, bob] = await Promise.all([guest(reckon, session.joinCode, 'Ann Voter'), guest(reckon, session.joinCode, 'Bob Voter')]);
  const round = await startRound(owner, sessionId, checkout);
  await vote(ann.client, sessionId, checkout, round, '5');
  expect((await ann.client.put(`/api/votes/${sessionId}`, { issueId: checkout, round, value: '5', note: NOTE })).status).toBe(200);
  await vote(bob.client, sessionId, checkout, round, '13');
  await owner.client.post(`/api/sessions/${sessionId}/reveal`, {});
  expect((await owner.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: checkout, estimate: '8' })).status).toBe(200);
}, 90_000);
afterAll(async () => {
  await reckon.close();
  await vertex.close();
});
beforeEach(() => { vertex.script = []; vertex.reply = undefined; });

const summarise = (who: Person) => who.client.post(`/api/ai/sessions/${sessionId}/summary`);
const portalSummary = (who: Person, clientId: string, session: string) => who.client.get(`/api/portal/${clientId}/sessions/${session}/summary`);
const PERSONAL = ['Ann Voter', 'Bob Voter', 'Grace Hopper', NOTE, 'payment provider sandbox'];

describe('the session summary in the export', () => {
  it('is not there before anyone asked for one (404 on the text file, null in JSON)', async () => {
    const txt = await owner.client.get(`/api/ai/sessions/${sessionId}/summary.txt`);
    expect([txt.status, txt.json.error.code]).toEqual([404, 'not_found']);
    expect((await owner.client.get(`/api/ai/sessions/${sessionId}/summary`)).json).toEqual({ summary: null });
  });

  it('downloads as a text file beside results.csv, for the team, with the client-safe version; other teams get 404', async () => {
    const made = await summarise(owner);
    expect([made.status, made.json.summary.source]).toEqual([201, 'statistical']);
    const txt = await member.client.get(`/api/ai/sessions/${sessionId}/summary.txt`);
    expect(txt.status).toBe(200);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['content-disposition']).toBe('attachment; filename="Acme-sprint-summary.txt"');
    expect(txt.text).toContain('Session: Acme sprint');
    expect(txt.text).toContain(made.json.summary.text);
    expect(txt.text).toContain('1 of 2 issues estimated');
    expect(txt.text).toContain(`For the client (no names, no votes):\r\n${made.json.summary.clientSafeText}`);
    expect((await member.client.get(`/api/ai/sessions/${sessionId}/summary`)).json.summary).toEqual({ ...made.json.summary, outOfDate: false });
    // The CSV stays one table: the summary is not a row of it.
    const csv = await owner.client.get(`/api/sessions/${sessionId}/results.csv`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(3);
    expect(csv.text).not.toContain('issues estimated');
    for (const path of [`/api/ai/sessions/${sessionId}/summary.txt`, `/api/ai/sessions/${sessionId}/summary`]) {
      const res = await stranger.client.get(path);
      expect([path, res.status, res.json.error.code]).toEqual([path, 404, 'not_found']);
    }
    expect((await acmeUser.client.get(`/api/ai/sessions/${sessionId}/summary.txt`)).status).toBe(404);
  });
});

describe('the session summary refused', () => {
  it('to a member, a guest, a stranger, another team and a portal user changes nothing and calls no model', async () => {
    const room = await newSession(owner, { name: 'Refusals' });
    const g = await guest(reckon, room.joinCode, 'Gina Guest');
    const other = await registeredClient(reckon);
    const before = await databaseDump(reckon.projectId);
    const calls = vertex.calls.length;
    const refused = await Promise.all([member, g, stranger, other, acmeUser].map((who) => who.client.post(`/api/ai/sessions/${room.id}/summary`)));
    // A guest has no account: 401 like any caller without one (session.read and moderate need a user).
    expect(refused.map((r) => [r.status, r.json.error.code])).toEqual([[403, 'forbidden'], [401, 'unauthenticated'], [404, 'not_found'], [404, 'not_found'], [404, 'not_found']]);
    for (const path of ['summary', 'summary.txt']) {
      const reads = await Promise.all([g, stranger, other, acmeUser].map((who) => who.client.get(`/api/ai/sessions/${room.id}/${path}`)));
      expect(reads.map((r) => r.status)).toEqual([401, 404, 404, 404]);
    }
    expect(await databaseDump(reckon.projectId)).toBe(before);
    expect(vertex.calls.length).toBe(calls);
  });

  it('names its text file safely whatever the session is called', async () => {
    for (const [name, file] of [['Q3 "Roadmap"; filename=evil.html', 'Q3-Roadmap-filenameevilhtml-summary.txt'], ['Café ☕ ü', 'Caf-summary.txt'], ['☕☕', 'session-summary.txt']]) {
      const room = await newSession(owner, { name });
      expect((await owner.client.post(`/api/ai/sessions/${room.id}/summary`)).status).toBe(201);
      const txt = await owner.client.get(`/api/ai/sessions/${room.id}/summary.txt`);
      expect([txt.headers['content-disposition'], txt.headers['x-content-type-options'], txt.headers['content-type']]).toEqual([`attachment; filename="${file}"`, 'nosniff', 'text/plain; charset=utf-8']);
      expect(txt.text).toContain(`Session: ${name}`);
    }
  });
});

describe('the session summary after the session moved on', () => {
  it('says in the JSON and in the text file that it is out of date, until a moderator asks again', async () => {
    const [extra] = await addIssues(owner, internal, ['Internal tooling']);
    const made = await owner.client.post(`/api/ai/sessions/${internal}/summary`);
    expect(made.status).toBe(201);
    const fresh = await member.client.get(`/api/ai/sessions/${internal}/summary`);
    expect(fresh.json.summary).toEqual({ ...made.json.summary, outOfDate: false });
    expect((await member.client.get(`/api/ai/sessions/${internal}/summary.txt`)).text).not.toContain('out of date');
    expect((await owner.client.post(`/api/sessions/${internal}/finalize`, { issueId: extra, estimate: '5' })).status).toBe(200);
    const stale = await member.client.get(`/api/ai/sessions/${internal}/summary`);
    expect(stale.json.summary).toMatchObject({ text: made.json.summary.text, outOfDate: true });
    const txt = await member.client.get(`/api/ai/sessions/${internal}/summary.txt`);
    expect(txt.text).toContain('This summary is out of date: the session changed after it was written');
    const again = await owner.client.post(`/api/ai/sessions/${internal}/summary`);
    expect(again.status).toBe(201);
    expect((await member.client.get(`/api/ai/sessions/${internal}/summary`)).json.summary.outOfDate).toBe(false);
    expect((await member.client.get(`/api/ai/sessions/${internal}/summary.txt`)).text).not.toContain('out of date');
  });
});

describe('the session summary from concurrent moderators', () => {
  it('costs exactly one Gemini call for a burst; everyone gets the same summary; again unchanged, none', async () => {
    expect((await setAi(owner, true)).status).toBe(200);
    const before = vertex.calls.length;
    const burst = await Promise.all([owner, admin, owner, admin, owner, admin].map((who) => summarise(who)));
    expect(vertex.calls.length - before).toBe(1);
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(burst.map((r) => JSON.stringify(r.json.summary))).size).toBe(1);
    expect(burst[0]!.json.summary.source).toBe('gemini');
    const again = await summarise(admin);
    expect([again.status, again.json.summary]).toEqual([200, burst[0]!.json.summary]);
    expect(vertex.calls.length - before).toBe(1);
  });
});

describe('the session summary from concurrent moderators while Gemini is slow', () => {
  it('still costs one call: the others wait for the answer instead of asking themselves', async () => {
    const room = await newSession(owner, { name: 'Slow one' });
    await addIssues(owner, room.id, ['Slow issue']);
    vertex.slowMs = 1_500; vertex.script = ['slow'];
    const before = vertex.calls.length;
    const burst = await Promise.all([owner, admin, owner, admin].map((who) => who.client.post(`/api/ai/sessions/${room.id}/summary`)));
    vertex.slowMs = 30_000;
    expect(vertex.calls.length - before).toBe(1);
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(burst.map((r) => JSON.stringify(r.json.summary))).size).toBe(1);
    expect(burst[0]!.json.summary.source).toBe('gemini');
  });
});

describe('the client-safe session summary in the portal', () => {
  it("shows the client Gemini's client text, sent without names, votes or notes, and nothing of the team's text", async () => {
    expect((await owner.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: openIssue, estimate: '3' })).status).toBe(200);
    vertex.reply = () => ({ text: 'Team text: the checkout needed a debate.', clientText: 'Checkout page is an 8, the refund flow a 3: 11 points.' });
    const before = vertex.calls.length;
    const made = await summarise(owner);
    expect([made.status, made.json.summary.source]).toEqual([201, 'gemini']);
    expect(vertex.calls.length - before).toBe(1);
    const call = vertex.calls.at(-1)!;
    expect(call.body.generationConfig?.responseSchema?.required).toEqual(['text', 'clientText']);
    expect(call.raw).toContain('Checkout page');
    for (const text of [...PERSONAL, owner.account.email, owner.user.uid, owner.tenant.tenantId, acme, '"13"', '"5"']) expect(call.raw).not.toContain(text);
    const seen = await portalSummary(acmeUser, acme, sessionId);
    expect(seen.status).toBe(200);
    expect(seen.json).toEqual({ summary: { sessionId, sessionName: 'Acme sprint', text: 'Checkout page is an 8, the refund flow a 3: 11 points.', source: 'gemini', createdAt: made.json.summary.createdAt } });
    expect(seen.text).not.toContain('Team text');
    for (const text of PERSONAL) expect(seen.text).not.toContain(text);
  });

  it('is statistical from the finalized estimates only when the stored one is out of date: no open issue, no rounds, no names', async () => {
    const [later] = await addIssues(owner, sessionId, ['Gift cards']);
    expect((await owner.client.post(`/api/sessions/${sessionId}/finalize`, { issueId: later, estimate: '5' })).status).toBe(200);
    await addIssues(owner, sessionId, ['Loyalty points (still open)']);
    const seen = await portalSummary(acmeUser, acme, sessionId);
    expect(seen.json.summary).toMatchObject({ source: 'statistical', createdAt: null });
    expect(seen.json.summary.text).toBe('Acme sprint: 3 issues estimated. Total: 16 points. Estimates: "Checkout page" 8, "Refund flow" 3, "Gift cards" 5.');
    for (const text of [...PERSONAL, 'Loyalty', 'round', 'Checkout page is an 8']) expect(seen.text).not.toContain(text);
  });

  it('answers 404 to a portal user of another client, for a session of another client or of none, and to a stranger', async () => {
    const refusals = [
      await portalSummary(globexUser, acme, sessionId), await portalSummary(globexUser, globex, sessionId),
      await portalSummary(acmeUser, acme, globexSession), await portalSummary(acmeUser, acme, internal),
      await portalSummary(acmeUser, acme, 'nosuchsession'), await portalSummary(stranger, acme, sessionId),
      await portalSummary(owner, acme, sessionId),
    ];
    expect(refusals.map((r) => [r.status, r.json.error.code])).toEqual(refusals.map(() => [404, 'not_found']));
    expect((await portalSummary(globexUser, globex, globexSession)).json.summary).toMatchObject({ text: 'Globex sprint: no estimates yet.', source: 'statistical' });
  });
});
