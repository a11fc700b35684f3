// The user aggregate: users/{uid} and the userEmails/{email} key document that makes an email unique.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates } from './firestore.js';
import { countFirestore } from '../http/context.js';

export interface UserRecord { uid: string; email: string; displayName: string; passwordHash: string; createdAt: number }

export interface NewAccount { user: UserRecord; tenant: { tenantId: string; name: string }; }

export class EmailTakenError extends Error {}

/** Creates the user, its email key, a personal tenant and the admin membership in one atomic batch. */
export async function createAccount({ user, tenant }: NewAccount): Promise<void> {
  const db = getDb();
  const createdAt = Timestamp.fromMillis(user.createdAt);
  const batch = db.batch();
  batch.create(db.collection('userEmails').doc(user.email), { uid: user.uid });
  batch.create(db.collection('users').doc(user.uid), { email: user.email, displayName: user.displayName, passwordHash: user.passwordHash, createdAt });
  batch.create(db.collection('tenants').doc(tenant.tenantId), { name: tenant.name, aiEnabled: false, personal: true, createdBy: user.uid, createdAt });
  batch.create(db.collection('memberships').doc(`${tenant.tenantId}_${user.uid}`), { tenantId: tenant.tenantId, uid: user.uid, role: 'admin', createdAt });
  if (!(await commitCreates(batch))) throw new EmailTakenError();
  countFirestore(0, 4);
}

function toRecord(uid: string, d: FirebaseFirestore.DocumentData): UserRecord {
  return { uid, email: d.email, displayName: d.displayName, passwordHash: d.passwordHash, createdAt: (d.createdAt as Timestamp).toMillis() };
}

export async function findUserByEmail(email: string): Promise<UserRecord | undefined> {
  const db = getDb();
  const key = await db.collection('userEmails').doc(email).get();
  countFirestore(1);
  if (!key.exists) return undefined;
  return getUser(key.get('uid') as string);
}

export async function getUser(uid: string): Promise<UserRecord | undefined> {
  const snap = await getDb().collection('users').doc(uid).get();
  countFirestore(1);
  return snap.exists ? toRecord(uid, snap.data()!) : undefined;
}

/** Deletes the user document and its email key. */
export async function deleteUser(user: Pick<UserRecord, 'uid' | 'email'>): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  batch.delete(db.collection('users').doc(user.uid));
  batch.delete(db.collection('userEmails').doc(user.email));
  await batch.commit();
  countFirestore(0, 2);
}

/**
 * Ends every access token issued to the user so far, in the caller's batch (DESIGN.md §3 "Session
 * ends"): access tokens carry the user's access epoch at issue, and a token of an older epoch is
 * refused. Used after logout, password change, family revocation, removal from a team and role
 * changes; a browser whose refresh token is still valid gets a new token with fresh roles.
 */
export function endAccessTokensIn(batch: FirebaseFirestore.WriteBatch, uid: string): void {
  batch.update(getDb().collection('users').doc(uid), { accessEpoch: FieldValue.increment(1) });
}

/** Names and emails of many users at once (team member lists, the audit log); erased users are absent. */
export async function getProfiles(uids: readonly string[]): Promise<Map<string, { displayName: string; email: string }>> {
  const unique = [...new Set(uids)];
  if (unique.length === 0) return new Map();
  const db = getDb();
  const snaps = await db.getAll(...unique.map((uid) => db.collection('users').doc(uid)), { fieldMask: ['displayName', 'email'] });
  return new Map(snaps.filter((s) => s.exists).map((s) => [s.id, { displayName: s.get('displayName') as string, email: s.get('email') as string }]));
}
