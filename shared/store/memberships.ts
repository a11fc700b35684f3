// Memberships: memberships/{tenantId}_{uid} with the role of a user in a tenant.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
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

// --- Team management (functions/teams): writes join the batch of the change they belong to. ---

/** A membership with the update time it was read at (the precondition of a later change). */
export interface StoredMembership { membership: Membership; updateTime: Timestamp }

const membershipRef = (tenantId: string, uid: string) => getDb().collection('memberships').doc(`${tenantId}_${uid}`);

export async function listStoredMembersOfTenant(tenantId: string): Promise<StoredMembership[]> {
  const snap = await getDb().collection('memberships').where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => ({ membership: toMembership(d.data()), updateTime: d.updateTime }));
}

/** Fails the batch with ALREADY_EXISTS when the user is already in the team. */
export function createMembershipIn(batch: FirebaseFirestore.WriteBatch, tenantId: string, uid: string, role: Role, now: number): void {
  batch.create(membershipRef(tenantId, uid), { tenantId, uid, role, createdAt: Timestamp.fromMillis(now) });
}

/** Changes the role, provided the membership is still as read. */
export function changeRoleIn(batch: FirebaseFirestore.WriteBatch, seen: StoredMembership, role: Role, now: number): void {
  batch.update(membershipRef(seen.membership.tenantId, seen.membership.uid), { role, roleChangedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: seen.updateTime });
}

/** Removes the membership, provided it is still as read. */
export function deleteMembershipIn(batch: FirebaseFirestore.WriteBatch, seen: StoredMembership): void {
  batch.delete(membershipRef(seen.membership.tenantId, seen.membership.uid), { lastUpdateTime: seen.updateTime });
}

/**
 * Makes the batch fail unless this membership is still as read (Firestore batches have no bare
 * "verify", so it stamps a field under the precondition): two admins demoting each other at
 * once cannot leave a team with none.
 */
export function holdMembershipIn(batch: FirebaseFirestore.WriteBatch, seen: StoredMembership, now: number): void {
  batch.update(membershipRef(seen.membership.tenantId, seen.membership.uid), { heldAt: Timestamp.fromMillis(now) }, { lastUpdateTime: seen.updateTime });
}
