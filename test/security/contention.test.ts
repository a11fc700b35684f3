// Issue #15, item 4: contention on a room never answers 500. Joins and renames are limited per
// participant, so a flood of them cannot crowd out the moderator; contention that outlasts the
// retries answers 503 `unavailable` with Retry-After and a message.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { ApiClient, registeredClient, startReckon, type ApiResponse, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, type Person } from '../support/rooms.js';
import { newFirestore } from '../support/firestore.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  reckon = await startReckon();
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

/** A refusal under contention tells the caller to come back; nothing answers 500. */
function expectNoServerError(res: ApiResponse[], allowed: number[]): void {
  for (const r of res) {
    expect(allowed).toContain(r.status);
    if (r.status === 503) {
      expect(r.json.error.code).toBe('unavailable');
      expect(r.json.error.message).toMatch(/try again/);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  }
}

describe('item 4: contention answers 409/503 with a message, never 500', () => {
  it('a guest flooding renames is limited to 10 a minute, and the moderator changes the issue throughout', async () => {
    const s = await newSession(owner);
    const issues = await addIssues(owner, s.id, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
    const flooder = await guest(reckon, s.joinCode, 'Flood');
    // From just after a minute starts, so the flood falls in one window of the per-participant limit.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Math.ceil(Date.now() / 60_000) * 60_000 + 50 });
    const flood = Promise.all(Array.from({ length: 60 }, (_, i) => flooder.client.post(`/api/sessions/${s.id}/join`, { displayName: `Flood ${i}`, role: 'voter' })));
    const moderator = Promise.all(issues.map((issueId) => owner.client.post(`/api/sessions/${s.id}/current`, { issueId })));
    const [renames, changes] = await Promise.all([flood, moderator]).finally(() => vi.useRealTimers());
    expectNoServerError(renames, [200, 429, 503]);
    expectNoServerError(changes, [200, 503]);
    expect(renames.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(50);
    expect(renames.find((r) => r.status === 429)!.json.error.code).toBe('rate_limited');
    expect(changes.filter((r) => r.status === 200).length).toBeGreaterThan(0);
  });

  it('25 concurrent joins near the 200-seat cap: each is seated or told to try again, never 500, never past the cap', async () => {
    const s = await newSession(owner);
    for (let n = 0; n < 150; n += 25) {
      await Promise.all(Array.from({ length: 25 }, (_, i) => guest(reckon, s.joinCode, `Early ${n + i}`)));
    }
    const crowd = await Promise.all(Array.from({ length: 25 }, (_, i) => new ApiClient(reckon).post('/api/auth/guest', { joinCode: s.joinCode, displayName: `Late ${i}`, role: 'voter' })));
    expectNoServerError(crowd, [201, 503]);
    const seated = crowd.filter((r) => r.status === 201).length;
    const db = newFirestore({ projectId: reckon.projectId });
    const heads = (await db.collection(`sessions/${s.id}/participants`).get()).size;
    await db.terminate();
    expect(heads).toBe(150 + seated);
  });
});

describe('item 4: Firestore saying "busy" is told as 503, not 500', () => {
  it('maps contention, quota, deadline and unavailability to 503 unavailable with Retry-After; other errors stay unmapped', async () => {
    const { transientStoreError } = await import('../../shared/http/store-errors.js');
    for (const code of [4, 8, 10, 14]) {
      const err = transientStoreError(Object.assign(new Error('10 ABORTED: Too much contention on these documents.'), { code }));
      expect(err).toMatchObject({ status: 503, code: 'unavailable', extra: { retryAfterS: 1 } });
    }
    for (const other of [new Error('boom'), Object.assign(new Error('x'), { code: 3 }), Object.assign(new Error('x'), { code: 'ECONNRESET' }), null, undefined]) {
      expect(transientStoreError(other)).toBeUndefined();
    }
  });
});
