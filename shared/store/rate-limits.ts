// Fixed-window counters: one document per key and window, incremented with a transform and
// expired by a TTL policy on `expiresAt`. Keys are hashed so no email or IP is a document id.
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface WindowCount { count: number; windowEndsAt: number }

function docId(key: string, windowStart: number): string {
  return createHash('sha256').update(`${key}\u0000${windowStart}`).digest('hex');
}

/** Reads the count of the current window, then counts this request in it. */
export async function countInWindow(key: string, windowS: number, now: number): Promise<WindowCount> {
  const windowMs = windowS * 1000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const ref = getDb().collection('rateLimits').doc(docId(key, windowStart));
  const snap = await ref.get();
  const count = (snap.get('count') as number | undefined) ?? 0;
  await ref.set({ count: FieldValue.increment(1), expiresAt: Timestamp.fromMillis(windowStart + 2 * windowMs) }, { merge: true });
  return { count: count + 1, windowEndsAt: windowStart + windowMs };
}
