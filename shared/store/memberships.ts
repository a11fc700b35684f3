// Memberships: memberships/{tenantId}_{uid} with the role of a user in a tenant.
import { FieldValue, type Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import type { Role } from '../security/tokens.js';

export interface Membership { tenantId: string; uid: string; role: Role; joinedAt: number }

function toMembership(d: FirebaseFirestore.DocumentData): Membership {
  return { tenantId: d.tenantId, uid: d.uid, role: d.role, joinedAt: (d.createdAt as Timestamp | undefined)?.toMillis() ?? 0 };
}

/** A user's own memberships (the one query not led by tenantId: it is the user's own data). */
export async function listMembershipsOfUser(uid: string): Promise<Membership[]> {
  const snap = await getDb().collection('memberships').where('uid', '==', uid).get();
  return snap.docs.map((d) => toMembership(d.data()));
}

export async function listMembersOfTenant(tenantId: string): Promise<Membership[]> {
  const snap = await getDb().collection('memberships').where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toMembership(d.data()));
}

export async function setRole(tenantId: string, uid: string, role: Role): Promise<void> {
  await getDb().collection('memberships').doc(`${tenantId}_${uid}`).update({ role, roleChangedAt: FieldValue.serverTimestamp() });
}

export async function removeMembership(tenantId: string, uid: string): Promise<void> {
  await getDb().collection('memberships').doc(`${tenantId}_${uid}`).delete();
}

/** tenantId → role, the shape access tokens carry. */
export function rolesOf(memberships: Membership[]): Record<string, Role> {
  return Object.fromEntries(memberships.map((m) => [m.tenantId, m.role]));
}

/** The caller's membership in a tenant, read fresh (tokens may carry roles up to 15 minutes old). */
export async function getMembership(tenantId: string, uid: string): Promise<Membership | undefined> {
  const snap = await getDb().collection('memberships').doc(`${tenantId}_${uid}`).get();
  return snap.exists ? toMembership(snap.data()!) : undefined;
}
