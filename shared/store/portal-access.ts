// portalAccess/{clientId}_{uid}: a registered user's access to one client of a tenant, with
// tenantId, clientId, uid, linkId (the link redeemed) and grantedAt. Portal routes read it fresh
// on every call, so removing it ends the access at once on every instance.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface PortalAccess { tenantId: string; clientId: string }
export interface PortalGrant extends PortalAccess { uid: string; linkId: string; grantedAt: number }

const access = () => getDb().collection('portalAccess');
const docOf = (clientId: string, uid: string) => access().doc(`${clientId}_${uid}`);

function toGrant(d: FirebaseFirestore.DocumentData): PortalGrant {
  return { tenantId: d.tenantId, clientId: d.clientId, uid: d.uid, linkId: d.linkId ?? '', grantedAt: (d.grantedAt as Timestamp | undefined)?.toMillis() ?? 0 };
}

/** A user's own portal grants (keyed by uid: the user's own data). */
export async function listPortalAccessOfUser(uid: string): Promise<(PortalAccess & { ref: FirebaseFirestore.DocumentReference })[]> {
  const snap = await access().where('uid', '==', uid).get();
  return snap.docs.map((d) => ({ tenantId: d.get('tenantId') as string, clientId: d.get('clientId') as string, ref: d.ref }));
}

/** The user's grant for this client of this tenant, read fresh; undefined when there is none. */
export async function getPortalGrant(tenantId: string, clientId: string, uid: string): Promise<PortalGrant | undefined> {
  const snap = await docOf(clientId, uid).get();
  if (!snap.exists || snap.get('tenantId') !== tenantId || snap.get('clientId') !== clientId) return undefined;
  return toGrant(snap.data()!);
}

export async function listPortalUsersOfClient(tenantId: string, clientId: string): Promise<PortalGrant[]> {
  const snap = await access().where('tenantId', '==', tenantId).where('clientId', '==', clientId).get();
  return snap.docs.map((d) => toGrant(d.data())).sort((a, b) => a.grantedAt - b.grantedAt);
}

/** Grants access (a second link for the same client and user keeps the first grant's fields fresh). */
export function grantPortalAccessIn(batch: FirebaseFirestore.WriteBatch, g: PortalGrant): void {
  batch.set(docOf(g.clientId, g.uid), { tenantId: g.tenantId, clientId: g.clientId, uid: g.uid, linkId: g.linkId, grantedAt: Timestamp.fromMillis(g.grantedAt) });
}

/**
 * Makes the batch fail (NOT_FOUND) unless the grant still exists when it commits: a decision whose
 * author was removed in the meantime is not written. It rewrites a field with its own value.
 */
export function requirePortalGrantIn(batch: FirebaseFirestore.WriteBatch, clientId: string, uid: string): void {
  batch.update(docOf(clientId, uid), { clientId });
}

export function revokePortalAccessIn(batch: FirebaseFirestore.WriteBatch, clientId: string, uid: string): void {
  batch.delete(docOf(clientId, uid));
}
