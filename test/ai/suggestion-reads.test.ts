// The statistical suggestion is kept per issue: at the reveal every browser in the room fetches it,
// and a fetch must cost a few document reads, not the team's history (up to 500 issues). Counted
// from the request log's Firestore counts (shared/store/usage.ts). Kept until it would change: a
// new final estimate in the team, an edit of the issue.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon, type ApiResponse } from '../support/reckon.js';
import { guest, newSession, type Person } from '../support/rooms.js';
import { captureLogLines, type LogCapture } from '../support/logs.js';
import { periodOf, yearsOf } from '../../shared/domain/insight-period.js';

let reckon: Reckon;
let owner: Person;
let sessionId: string; let issueId: string; let joinCode: string; let historyId: string;
let logs: LogCapture;
const usageOf = (res: ApiResponse) => logs.usageOf(res);

async function finalizedHistory(titles: [string, string][]) {
  const ids = (await owner.client.post(`/api/sessions/${historyId}/issues`, { issues: titles.map(([title]) => ({ title })) })).json.issues as { id: string }[];
  for (const [n, [, estimate]] of titles.entries()) expect((await owner.client.post(`/api/sessions/${historyId}/finalize`, { issueId: ids[n]!.id, estimate })).status).toBe(200);
}

beforeAll(async () => {
  reckon = await startReckon({ RECKON_LOG_LEVEL: 'info', RECKON_POLL_CACHE_MS: '0' });
  logs = captureLogLines();
  owner = await registeredClient(reckon);
  historyId = (await newSession(owner, { name: 'Past sprints' })).id;
  await finalizedHistory([
    ['Login page with password reset', '5'], ['Login with single sign-on', '5'], ['Export invoices to CSV', '2'],
    ['Export payments to CSV', '2'], ['Dark mode for the dashboard', '3'], ['Payment provider migration', '13'],
  ]);
  const session = await newSession(owner, { name: 'This sprint' });
  [sessionId, joinCode] = [session.id, session.joinCode];
  issueId = (await owner.client.post(`/api/sessions/${sessionId}/issues`, { issues: [{ title: 'Login page with social sign-in' }] })).json.issues[0].id;
  await owner.client.post(`/api/sessions/${sessionId}/current`, { issueId });
}, 90_000);
afterAll(async () => { logs.stop(); await reckon.close(); });

const suggest = (who: { client: Person['client'] }) => who.client.get(`/api/ai/sessions/${sessionId}/issues/${issueId}/suggestion`);
/**
 * A moderator's fetch of a kept suggestion: caller, session, issue, the team's latest estimate,
 * the kept suggestion, the AI settings, and the calibration's yearly aggregates: one per calendar
 * year the last 12 months touch (two, except in December, when they are one year's).
 */
const CALIBRATION_PERIOD = periodOf({}, Date.now()) as { from: string; to: string };
const KEPT_READS = 5 + yearsOf(CALIBRATION_PERIOD).length;

describe('the kept statistical suggestion', () => {
  it('reads the history once; a second fetch reads a constant few documents, however long the history', async () => {
    const first = await suggest(owner);
    expect(first.json.suggestion.estimate).toBe('5');
    expect(usageOf(first)!.reads).toBeGreaterThan(KEPT_READS + 5);
    const second = await suggest(owner);
    expect(second.json).toEqual(first.json);
    expect(usageOf(second)).toEqual({ reads: KEPT_READS, writes: 0 });
    // Twenty more finalized issues, all about sign-in and estimated 13: the next fetch sees them.
    await finalizedHistory(Array.from({ length: 20 }, (_, n): [string, string] => [`Login page for tenant ${n}`, '13']));
    const after = await suggest(owner);
    expect(after.json.suggestion.estimate).toBe('13');
    expect(usageOf(after)!.reads).toBeGreaterThan(26);
    const kept = await suggest(owner);
    expect([kept.json, usageOf(kept)]).toEqual([after.json, { reads: KEPT_READS, writes: 0 }]);
  });

  it('is computed anew when the issue is edited, and a whole room at the reveal reads only the kept one', async () => {
    expect((await owner.client.patch(`/api/sessions/${sessionId}/issues/${issueId}`, { title: 'Export refunds to CSV' })).status).toBe(200);
    const edited = await suggest(owner);
    expect(edited.json.suggestion.estimate).toBe('2');
    expect(edited.json.suggestion.basedOn.map((b: { title: string }) => b.title)).toContain('Export invoices to CSV');
    const guests = await Promise.all([1, 2, 3, 4].map((n) => guest(reckon, joinCode, `Watcher ${n}`, 'spectator')));
    expect((await owner.client.post(`/api/sessions/${sessionId}/reveal`, {})).status).toBe(200);
    const room = await Promise.all(guests.map((g) => suggest(g)));
    for (const res of room) {
      expect(res.json).toEqual(edited.json);
      expect(usageOf(res)!.reads).toBeLessThanOrEqual(KEPT_READS + 1); // a guest's caller is their participant
      expect(usageOf(res)!.writes).toBe(0);
    }
  });
});
