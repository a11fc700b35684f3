// Sessions change hands when their owner leaves a team: they stay with the team, owned by an admin.
import { getDb } from './firestore.js';

/** The ids of the tenant's sessions `uid` owns. */
export async function sessionsOwnedBy(tenantId: string, uid: string): Promise<string[]> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).where('ownerUid', '==', uid).select().get();
  return snap.docs.map((d) => d.id);
}

export function passOwnershipIn(batch: FirebaseFirestore.WriteBatch, sessionIds: readonly string[], toUid: string): void {
  for (const id of sessionIds) batch.update(getDb().collection('sessions').doc(id), { ownerUid: toUid });
}
