// Gemini's suggestion is kept per issue, but only for what it was asked from: an edited issue or a
// changed history (the neighbours the prompt holds) asks anew, while a room fetching an unchanged
// one reads the kept answer (review of #18: the kept answer outlived an edit of the issue, and
// the room got the old title's estimate and rationale beside the new title's similar issues).
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newSession, type Person } from '../support/rooms.js';
import { startFakeVertex, type FakeVertex } from '../support/fakes/vertex.js';
import { setAi } from './support.js';

let reckon: Reckon;
let vertex: FakeVertex;
let owner: Person;
let sessionId: string; let issueId: string; let historyId: string;

async function finalizedHistory(titles: [string, string][]) {
  const ids = (await owner.client.post(`/api/sessions/${historyId}/issues`, { issues: titles.map(([title]) => ({ title })) })).json.issues as { id: string }[];
  for (const [n, [, estimate]] of titles.entries()) expect((await owner.client.post(`/api/sessions/${historyId}/finalize`, { issueId: ids[n]!.id, estimate })).status).toBe(200);
}

beforeAll(async () => {
  vertex = await startFakeVertex();
  reckon = await startReckon({ RECKON_AI_FAKE_URL: vertex.url, RECKON_POLL_CACHE_MS: '0', RECKON_AI_RETRY_DELAY_MS: '20' });
  owner = await registeredClient(reckon);
  expect((await setAi(owner, true)).status).toBe(200);
  historyId = (await newSession(owner, { name: 'Past sprints' })).id;
  await finalizedHistory([['Login page with password reset', '5'], ['Login with single sign-on', '5'], ['Export invoices to CSV', '2'], ['Export payments to CSV', '2']]);
  sessionId = (await newSession(owner, { name: 'This sprint' })).id;
  issueId = (await owner.client.post(`/api/sessions/${sessionId}/issues`, { issues: [{ title: 'Login page with social sign-in' }] })).json.issues[0].id;
}, 90_000);
afterAll(async () => { await reckon.close(); await vertex.close(); });
beforeEach(() => { vertex.script = []; vertex.reply = undefined; });

const suggest = () => owner.client.get(`/api/ai/sessions/${sessionId}/issues/${issueId}/suggestion`);
const answer = (estimate: string, rationale: string) => () => ({ estimate, confidence: 0.7, rationale });

describe("Gemini's kept suggestion", () => {
  it('is read again, not asked again, while the issue and the history are unchanged', async () => {
    vertex.reply = answer('5', 'Like the other sign-in pages.');
    const before = vertex.calls.length;
    const first = await suggest();
    expect(first.json).toMatchObject({ source: 'gemini', suggestion: { estimate: '5', rationale: 'Like the other sign-in pages.' } });
    const again = await Promise.all([suggest(), suggest(), suggest()]);
    for (const r of again) expect(r.json).toEqual(first.json);
    expect(vertex.calls.length - before).toBe(1);
  });

  it('is asked anew after the issue was edited: the answer is about the new title', async () => {
    expect((await owner.client.patch(`/api/sessions/${sessionId}/issues/${issueId}`, { title: 'Export refunds to CSV' })).status).toBe(200);
    vertex.reply = answer('2', 'Like the other CSV exports.');
    const before = vertex.calls.length;
    const edited = await suggest();
    expect(vertex.calls.length - before).toBe(1);
    expect(vertex.calls.at(-1)!.raw).toContain('Export refunds to CSV');
    expect(edited.json).toMatchObject({ source: 'gemini', suggestion: { estimate: '2', rationale: 'Like the other CSV exports.' } });
    expect(edited.json.suggestion.basedOn.map((b: { title: string }) => b.title)).toContain('Export invoices to CSV');
  });

  it('is not asked again for an estimate elsewhere in the team that leaves its neighbours as they were', async () => {
    const first = await suggest();
    await finalizedHistory([['Quarterly tax filing for the warehouse', '8']]);
    const before = vertex.calls.length;
    const after = await suggest();
    expect(vertex.calls.length - before).toBe(0);
    expect(after.json).toEqual(first.json);
  });

  it('is asked anew when the team finalized more similar issues (its prompt named other neighbours)', async () => {
    await finalizedHistory([['Export refunds report to CSV', '3']]);
    vertex.reply = answer('3', 'The refunds report took a 3.');
    const before = vertex.calls.length;
    const res = await suggest();
    expect(vertex.calls.length - before).toBe(1);
    expect(res.json.suggestion).toMatchObject({ estimate: '3', rationale: 'The refunds report took a 3.' });
  });

  it('that failed is not asked again by every fetch: a blocked answer costs one call for the room, not one per browser', async () => {
    const [blocked] = (await owner.client.post(`/api/sessions/${sessionId}/issues`, { issues: [{ title: 'Login page for the admin area' }] })).json.issues as { id: string }[];
    const fetch = () => owner.client.get(`/api/ai/sessions/${sessionId}/issues/${blocked!.id}/suggestion`);
    vertex.script = Array.from({ length: 10 }, () => 'safety' as const);
    const before = vertex.calls.length;
    const first = await fetch();
    expect(first.json).toMatchObject({ source: 'statistical', suggestion: { estimate: '5' } });
    const room = await Promise.all([fetch(), fetch(), fetch(), fetch()]);
    for (const r of room) expect([r.status, r.json.source]).toEqual([200, 'statistical']);
    expect(vertex.calls.length - before).toBe(1);
  });
});
