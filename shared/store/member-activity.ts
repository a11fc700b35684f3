// A member's last activity in a team: when they were last seen in one of its rooms (presence
// stamps participants' lastSeenAt while the room is open).
import type { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export async function lastSeenInTenant(tenantId: string, uid: string): Promise<number | null> {
  const snap = await getDb().collectionGroup('participants').where('tenantId', '==', tenantId).where('uid', '==', uid)
    .orderBy('lastSeenAt', 'desc').limit(1).get();
  return (snap.docs[0]?.get('lastSeenAt') as Timestamp | undefined)?.toMillis() ?? null;
}
