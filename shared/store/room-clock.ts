// The room clock: one document per session, `sessions/{id}/votes/~clock`, touched by every change
// to what the room shows except votes. It lives among the votes on purpose: the newest
// `updatedAt` in that one collection then tells a poll whether anything at all changed, with a
// single one-document query (DESIGN.md §6; docs/decisions.md, "The room clock").
import { FieldValue } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export const ROOM_CLOCK_ID = '~clock';

export function touchRoomClock(batch: FirebaseFirestore.WriteBatch, sessionId: string, tenantId: string): void {
  const ref = getDb().collection('sessions').doc(sessionId).collection('votes').doc(ROOM_CLOCK_ID);
  batch.set(ref, { tenantId, clock: true, updatedAt: FieldValue.serverTimestamp() });
}

/** The last change in a room: which document changed last and when (µs), or undefined for none. */
export async function readLastRoomChange(sessionId: string, tenantId: string): Promise<string | undefined> {
  const snap = await getDb().collection('sessions').doc(sessionId).collection('votes')
    .where('tenantId', '==', tenantId).orderBy('updatedAt', 'desc').limit(1).get();
  const doc = snap.docs[0];
  if (!doc) return undefined;
  const t = doc.updateTime;
  return `${doc.id}@${t.seconds}.${t.nanoseconds}`;
}
