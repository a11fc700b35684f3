// Tenants, and the removal of everything a tenant owns.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import { retentionDaysOf } from '../domain/retention.js';

export interface Tenant { tenantId: string; name: string }

export async function getTenants(tenantIds: string[]): Promise<Tenant[]> {
  if (tenantIds.length === 0) return [];
  const db = getDb();
  const snaps = await db.getAll(...tenantIds.map((id) => db.collection('tenants').doc(id)));
  return snaps.filter((s) => s.exists).map((s) => ({ tenantId: s.id, name: s.get('name') as string }));
}

/** Collections whose documents carry `tenantId`; a deleted tenant leaves none of them behind. */
const TENANT_COLLECTIONS = ['memberships', 'clients', 'portalAccess', 'sessions', 'joinCodes', 'summaries', 'jiraConnections', 'forgeInstallations', 'invites', 'inviteUses', 'auditEvents', 'portalLinks', 'portalLinkUses', 'portalApprovals', 'memberActivity', 'aiSettings', 'aiUsage', 'openSessionGates'];

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

/** Documents of a tenant that name the member who made them (`createdBy`). */
const CREATED_BY_COLLECTIONS = ['jiraConnections', 'forgeInstallations', 'forgeConnectCodes', 'invites', 'clients'];

/**
 * Removes an erased user's uid from what a tenant keeps: `createdBy` of the tenant, its Jira
 * connections, Forge installations, invites and clients passes to `heir` (a Forge requests session is
 * owned by its installation's creator), and `estimatedBy` of its issues and `uid` of the invite
 * uses they took are cleared. The audit log keeps the uid (docs/security.md). Bounded batches.
 */
export async function unlinkUserFromTenant(tenantId: string, uid: string, heir: string | null): Promise<void> {
  const db = getDb();
  const [tenant, issues, inviteUses, ...created] = await Promise.all([
    db.collection('tenants').doc(tenantId).get(),
    db.collectionGroup('issues').where('tenantId', '==', tenantId).where('estimatedBy', '==', uid).select().get(),
    db.collection('inviteUses').where('tenantId', '==', tenantId).where('uid', '==', uid).select().get(),
    ...CREATED_BY_COLLECTIONS.map((name) => db.collection(name).where('tenantId', '==', tenantId).where('createdBy', '==', uid).select().get()),
  ]);
  const writer = db.bulkWriter();
  if (tenant.exists && tenant.get('createdBy') === uid) void writer.update(tenant.ref, { createdBy: heir });
  for (const d of issues.docs) void writer.update(d.ref, { estimatedBy: null });
  for (const d of inviteUses.docs) void writer.update(d.ref, { uid: null });
  for (const snap of created) for (const d of snap.docs) void writer.update(d.ref, { createdBy: heir });
  await writer.close();
}

// --- Team management (functions/teams) ---

export interface TeamRecord { tenantId: string; name: string; personal: boolean; createdBy: string; createdAt: number; /** The effective setting: the default when none is stored. */ sessionRetentionDays: number }

export async function getTeam(tenantId: string): Promise<TeamRecord | undefined> {
  const snap = await getDb().collection('tenants').doc(tenantId).get();
  if (!snap.exists) return undefined;
  const d = snap.data()!;
  return { tenantId, name: d.name, personal: d.personal === true, createdBy: d.createdBy, createdAt: (d.createdAt as Timestamp).toMillis(), sessionRetentionDays: retentionDaysOf(d.sessionRetentionDays) };
}

export function createTeamIn(batch: FirebaseFirestore.WriteBatch, t: Omit<TeamRecord, 'sessionRetentionDays'>): void {
  const { tenantId, createdAt, ...fields } = t;
  batch.create(getDb().collection('tenants').doc(tenantId), { ...fields, aiEnabled: false, createdAt: Timestamp.fromMillis(createdAt) });
}

/** Changes a team's settings (only the fields given). */
export function updateTeamIn(batch: FirebaseFirestore.WriteBatch, tenantId: string, fields: { name?: string; sessionRetentionDays?: number }): void {
  batch.update(getDb().collection('tenants').doc(tenantId), fields);
}
