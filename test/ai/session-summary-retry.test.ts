// A session summary that fell back to statistics while AI is on is not kept as the answer for the
// session's state: moderators asking at once share it, but "Summarise again" a little later asks
// Gemini again (review of #18: a single safety block or timeout pinned the statistical text until
// the session changed, and the room's "Summarise again" did nothing).
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, newSession, teammate, type Person } from '../support/rooms.js';
import { startFakeVertex, type FakeVertex } from '../support/fakes/vertex.js';
import { setAi } from './support.js';

let reckon: Reckon;
let vertex: FakeVertex;
let owner: Person; let admin: Person;
let sessionId: string;
let clock = Date.parse('2026-03-02T09:00:00Z');

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(clock);
  vertex = await startFakeVertex();
  reckon = await startReckon({ RECKON_AI_FAKE_URL: vertex.url, RECKON_POLL_CACHE_MS: '0', RECKON_AI_RETRY_DELAY_MS: '20' });
  owner = await registeredClient(reckon);
  admin = await teammate(reckon, owner, 'admin');
  expect((await setAi(owner, true)).status).toBe(200);
  sessionId = (await newSession(owner, { name: 'Sprint 12' })).id;
  await addIssues(owner, sessionId, ['Checkout page']);
}, 60_000);
afterAll(async () => { await reckon.close(); await vertex.close(); vi.useRealTimers(); });

const summarise = (who: Person) => who.client.post(`/api/ai/sessions/${sessionId}/summary`);

describe('a session summary Gemini did not answer', () => {
  it('is shared by moderators asking at once, then asked of Gemini again a minute later', async () => {
    vertex.script = ['safety'];
    const before = vertex.calls.length;
    const burst = await Promise.all([owner, admin, owner].map((who) => summarise(who)));
    expect(vertex.calls.length - before).toBe(1);
    expect(burst.map((r) => r.json.summary.source)).toEqual(['statistical', 'statistical', 'statistical']);
    expect(new Set(burst.map((r) => JSON.stringify(r.json.summary))).size).toBe(1);

    clock += 60_000;
    vi.setSystemTime(clock);
    const again = await summarise(owner);
    expect(vertex.calls.length - before).toBe(2);
    expect([again.status, again.json.summary.source]).toEqual([201, 'gemini']);
    // Gemini's answer is kept: asking again later reads it.
    clock += 60_000;
    vi.setSystemTime(clock);
    expect((await summarise(admin)).json.summary).toEqual(again.json.summary);
    expect(vertex.calls.length - before).toBe(2);
  });
});
