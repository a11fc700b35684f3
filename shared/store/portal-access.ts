// portalAccess/{clientId}_{uid}: a registered user's access to one client of a tenant.
import { getDb } from './firestore.js';

export interface PortalAccess { tenantId: string; clientId: string }

/** A user's own portal grants (keyed by uid: the user's own data). */
export async function listPortalAccessOfUser(uid: string): Promise<(PortalAccess & { ref: FirebaseFirestore.DocumentReference })[]> {
  const snap = await getDb().collection('portalAccess').where('uid', '==', uid).get();
  return snap.docs.map((d) => ({ tenantId: d.get('tenantId') as string, clientId: d.get('clientId') as string, ref: d.ref }));
}
