// What polls and votes cost, counted by an emulator of this file's own (not by our code), the
// shared poll cache, presence, and 50 participants voting at once.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { presencePeriod } from '../../shared/domain/presence.js';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index.js';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore, sleep } from '../support/firestore.js';
import { addIssues, guest, newSession, poll, startRound, vote, type Person } from '../support/rooms.js';

let emulator: RunningEmulator;
let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  reckon = await startReckon(); // the production poll cache: one second
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); await emulator.stop(); });

const CACHE_MS = 1000;

/**
 * Waits, when the room's presence period would change within the next `spanMs`, until the next
 * period has begun: a poll in a new period also runs the presence refresh's query, which a test
 * counting queries must not meet by chance of the clock.
 */
async function clearOfPresenceRefresh(sessionId: string, spanMs: number): Promise<void> {
  const now = Date.now();
  if (presencePeriod(now + spanMs, sessionId) !== presencePeriod(now, sessionId)) await sleep(spanMs + 100);
}

describe('the poll', () => {
  it('answers 304 to an unchanged room after a single one-document query, and 200 with a new ETag after a change', async () => {
    const s = await newSession(owner);
    const [issueId] = await addIssues(owner, s.id, ['One']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await clearOfPresenceRefresh(s.id, 15_000);
    await sleep(CACHE_MS);
    const first = await poll(ann.client, s.id);
    expect(first.status).toBe(200);
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.json.version).toBe(first.headers.etag);
    await sleep(CACHE_MS);
    emulator.takeMetrics();
    const unchanged = await poll(ann.client, s.id, first.headers.etag);
    const cost = emulator.takeMetrics();
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(cost.documentReads).toBe(1);
    expect(cost.documentWrites).toBe(0);
    expect(cost.rpcs).toEqual({ RunQuery: 1 });
    await startRound(owner, s.id, issueId!);
    await sleep(CACHE_MS);
    const changed = await poll(ann.client, s.id, first.headers.etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.json.currentIssue.id).toBe(issueId);
  });

  it('shares one query among polls that arrive together, and reuses it for at most a second', async () => {
    const s = await newSession(owner);
    const guests = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => guest(reckon, s.joinCode, n)));
    await clearOfPresenceRefresh(s.id, 15_000);
    await sleep(CACHE_MS);
    await Promise.all(guests.map((g) => poll(g.client, s.id))); // presence of each written once
    await sleep(CACHE_MS);
    emulator.takeMetrics();
    const together = await Promise.all(guests.flatMap((g) => [poll(g.client, s.id), poll(g.client, s.id)]));
    expect(together.every((r) => r.status === 200)).toBe(true);
    expect(emulator.takeMetrics().rpcs.RunQuery).toBe(1);
    await sleep(CACHE_MS + 50);
    await poll(guests[0]!.client, s.id);
    expect(emulator.takeMetrics().rpcs.RunQuery).toBe(1);
  });

  it('writes presence at most once a minute per participant, and never otherwise', async () => {
    const s = await newSession(owner);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await sleep(CACHE_MS);
    emulator.takeMetrics();
    let etag: string | undefined;
    for (let i = 0; i < 5; i++) etag = (await poll(ann.client, s.id, etag)).headers.etag;
    expect(emulator.takeMetrics().documentWrites).toBe(1);
    const seen = await newFirestore({ projectId: reckon.projectId }).doc(`sessions/${s.id}/participants/${ann.participantId}`).get();
    expect(Date.now() - seen.get('lastSeenAt').toMillis()).toBeLessThan(10_000);
  });
});

describe('presence', () => {
  it('shows who is online, marks someone offline once their polls stop, and refreshes the marks with one small query', async () => {
    const s = await newSession(owner);
    // Date runs on from fixed points (timers stay real), so two minutes pass in a moment.
    const start = Date.now();
    let t0 = start;
    while (presencePeriod(t0, s.id) === presencePeriod(start, s.id)) t0 += 1000;
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: t0 + 1000 }); // just after a period starts
    try {
      const at = (offsetS: number) => vi.setSystemTime(t0 + offsetS * 1000);
      const people = await Promise.all(['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo'].map((n) => guest(reckon, s.joinCode, n)));
      const [ann, bob] = people as [typeof people[0], typeof people[0]];
      const online = async () => Object.fromEntries((await poll(ann.client, s.id)).json.participants.map((p: { displayName: string; online: boolean }) => [p.displayName, p.online]));
      for (const p of people) await poll(p.client, s.id);
      expect(Object.values(await online()).every(Boolean)).toBe(true);

      at(65); // everyone polls again: presence written once more
      for (const p of people) await poll(p.client, s.id);
      at(121); // the next period: one query finds nobody offline
      emulator.takeMetrics();
      expect(Object.values(await online()).every(Boolean)).toBe(true);
      const refresh = emulator.takeMetrics();
      expect(refresh.rpcs).toEqual({ RunQuery: 2 }); // the room clock and the presence refresh
      expect(refresh.documentReads).toBe(2);

      at(190); // everyone but Bob keeps polling
      for (const p of people) if (p !== bob) await poll(p.client, s.id);
      at(241); // the period after: Bob was last seen 176 s ago
      emulator.takeMetrics();
      const marks = await online();
      expect(marks).toEqual({ Ann: true, Bob: false, Cy: true, Di: true, Ed: true, Flo: true });
      expect(emulator.takeMetrics().rpcs.RunQuery).toBe(2);

      at(250); // within the period the marks hold, and an unchanged room answers 304
      const again = await poll(ann.client, s.id);
      expect((await poll(ann.client, s.id, again.headers.etag)).status).toBe(304);
      expect(again.json.participants.find((p: { displayName: string }) => p.displayName === 'Bob').online).toBe(false);

      at(370); // Bob comes back; the next period shows him online again
      await poll(bob.client, s.id);
      for (const p of people) if (p !== bob) await poll(p.client, s.id);
      at(485);
      expect((await online()).Bob).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('votes', () => {
  it('writes exactly one document per cast, after reading the session, the participant and the vote in parallel', async () => {
    const s = await newSession(owner, { autoReveal: false });
    const [issueId] = await addIssues(owner, s.id, ['One']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, issueId!);
    emulator.takeMetrics();
    expect((await vote(ann.client, s.id, issueId!, 1, '5')).status).toBe(200);
    const cost = emulator.takeMetrics();
    expect(cost.documentWrites).toBe(1);
    expect(cost.rpcs).toEqual({ BatchGetDocuments: 2, Commit: 1 });
    await vote(ann.client, s.id, issueId!, 1, '5');
    expect(emulator.takeMetrics().documentWrites).toBe(0); // the same card again changes nothing
  });

  it('takes 50 participants voting at once in one round, and all 50 cards are there afterwards', async () => {
    const s = await newSession(owner, { deck: 'modified_fibonacci' });
    const [issueId] = await addIssues(owner, s.id, ['Big one']);
    const guests = [];
    for (let i = 0; i < 50; i++) guests.push(await guest(reckon, s.joinCode, `Voter ${i}`));
    await startRound(owner, s.id, issueId!);
    const cards = ['1', '2', '3', '5', '8'];
    const results = await Promise.all(guests.map((g, i) => vote(g.client, s.id, issueId!, 1, cards[i % 5]!)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    await sleep(CACHE_MS);
    const state = await poll(owner.client, s.id);
    expect(state.json.revealed).toBe(true); // the last of the 50 revealed the round
    expect(state.json.votes).toHaveLength(50);
    expect(new Set(state.json.votes.map((v: { participantId: string }) => v.participantId))).toEqual(new Set(guests.map((g) => g.participantId)));
    expect(state.json.statistics.distribution).toEqual(cards.map((value) => ({ value, count: 10 })));
  });
});
