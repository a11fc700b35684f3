// Fixed-window counters: one document per key and window, incremented with a transform and
// expired by a TTL policy on `expiresAt`. Keys are hashed so no email or IP is a document id.
//
// A request counts itself first and decides on the count read after its own increment
// committed: that count is at least the request's place in the window, so however many arrive
// at once, at most `max` of them can read a count ≤ max (docs/decisions.md, "Rate limits under a
// burst"). A counter already over its maximum refuses after one read and takes no write, so an
// attack does not keep writing one hot document.
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface WindowCounter { key: string; windowS: number; max: number }
export interface WindowCount { count: number; windowEndsAt: number }

function windowOf(c: WindowCounter, now: number): { start: number; ms: number } {
  const ms = c.windowS * 1000;
  return { start: Math.floor(now / ms) * ms, ms };
}

function docId(key: string, windowStart: number): string {
  return createHash('sha256').update(`${key}\u0000${windowStart}`).digest('hex');
}

/**
 * Counts one request against each counter. Returns each counter's count as this request sees it;
 * a counter over its maximum before this request is returned without counting anything.
 */
export async function countInWindows(counters: WindowCounter[], now: number): Promise<WindowCount[]> {
  const db = getDb();
  const windows = counters.map((c) => windowOf(c, now));
  const refs = counters.map((c, i) => db.collection('rateLimits').doc(docId(c.key, windows[i]!.start)));
  const countsOf = (snaps: FirebaseFirestore.DocumentSnapshot[]) => snaps.map((s, i) => ({
    count: (s.get('count') as number | undefined) ?? 0, windowEndsAt: windows[i]!.start + windows[i]!.ms,
  }));
  const before = countsOf(await db.getAll(...refs));
  if (before.some((c, i) => c.count >= counters[i]!.max)) return before.map((c) => ({ ...c, count: c.count + 1 }));
  const batch = db.batch();
  refs.forEach((ref, i) => batch.set(ref, { count: FieldValue.increment(1), expiresAt: Timestamp.fromMillis(windows[i]!.start + 2 * windows[i]!.ms) }, { merge: true }));
  await batch.commit();
  const after = countsOf(await db.getAll(...refs));
  return after;
}
