// Tenants, and the removal of everything a tenant owns.
import { getDb } from './firestore.js';

export interface Tenant { tenantId: string; name: string }

export async function getTenants(tenantIds: string[]): Promise<Tenant[]> {
  if (tenantIds.length === 0) return [];
  const db = getDb();
  const snaps = await db.getAll(...tenantIds.map((id) => db.collection('tenants').doc(id)));
  return snaps.filter((s) => s.exists).map((s) => ({ tenantId: s.id, name: s.get('name') as string }));
}

/** Collections whose documents carry `tenantId`; a deleted tenant leaves none of them behind. */
const TENANT_COLLECTIONS = ['memberships', 'clients', 'portalAccess', 'sessions', 'joinCodes', 'summaries', 'jiraConnections', 'forgeInstallations'];

/** Deletes a tenant and every document it owns (sessions with their subcollections). */
export async function deleteTenant(tenantId: string): Promise<void> {
  const db = getDb();
  const writer = db.bulkWriter();
  for (const name of TENANT_COLLECTIONS) {
    const snap = await db.collection(name).where('tenantId', '==', tenantId).select().get();
    for (const doc of snap.docs) {
      if (name === 'sessions') await db.recursiveDelete(doc.ref, writer);
      else void writer.delete(doc.ref);
    }
  }
  void writer.delete(db.collection('tenants').doc(tenantId));
  await writer.close();
}
