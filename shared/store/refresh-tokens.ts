// Refresh tokens: refreshTokens/{id} holding a hash of the secret, grouped in families that are
// revoked together on reuse, logout, password change or account deletion.
import { Timestamp } from '@google-cloud/firestore';
import { getDb, isPreconditionFailure } from './firestore.js';
import { countFirestore } from '../http/context.js';

export interface RefreshRecord {
  id: string;
  uid: string;
  familyId: string;
  hash: string;
  expiresAt: number;
  revokedAt?: number;
  /** Set when this token was exchanged for a newer one. */
  rotatedAt?: number;
  updateTime: Timestamp;
}

const col = () => getDb().collection('refreshTokens');

export async function saveRefreshToken(r: { id: string; uid: string; familyId: string; hash: string; expiresAt: number; createdAt: number }): Promise<void> {
  await col().doc(r.id).create({ uid: r.uid, familyId: r.familyId, hash: r.hash, expiresAt: Timestamp.fromMillis(r.expiresAt), createdAt: Timestamp.fromMillis(r.createdAt) });
  countFirestore(0, 1);
}

export async function getRefreshToken(id: string): Promise<RefreshRecord | undefined> {
  const snap = await col().doc(id).get();
  countFirestore(1);
  if (!snap.exists) return undefined;
  const d = snap.data()!;
  return {
    id, uid: d.uid, familyId: d.familyId, hash: d.hash, expiresAt: (d.expiresAt as Timestamp).toMillis(),
    revokedAt: (d.revokedAt as Timestamp | undefined)?.toMillis(), rotatedAt: (d.rotatedAt as Timestamp | undefined)?.toMillis(),
    updateTime: snap.updateTime!,
  };
}

/** Marks a token as exchanged; false when someone else exchanged it first (precondition failed). */
export async function markRotated(record: RefreshRecord, now: number): Promise<boolean> {
  try {
    await col().doc(record.id).update({ rotatedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: record.updateTime });
    countFirestore(0, 1);
    return true;
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
}

async function revokeWhere(field: 'familyId' | 'uid', value: string, now: number): Promise<void> {
  const snap = await col().where(field, '==', value).get();
  countFirestore(Math.max(1, snap.size));
  const writer = getDb().bulkWriter();
  for (const d of snap.docs) if (!d.get('revokedAt')) void writer.update(d.ref, { revokedAt: Timestamp.fromMillis(now) });
  await writer.close();
}

export const revokeFamily = (familyId: string, now: number) => revokeWhere('familyId', familyId, now);
export const revokeAllOfUser = (uid: string, now: number) => revokeWhere('uid', uid, now);

/** Removes every refresh token of a user (account deletion). */
export async function deleteAllOfUser(uid: string): Promise<void> {
  const snap = await col().where('uid', '==', uid).select().get();
  countFirestore(Math.max(1, snap.size));
  const writer = getDb().bulkWriter();
  for (const d of snap.docs) void writer.delete(d.ref);
  await writer.close();
}

/** Token metadata for the user's data export (never the hash). */
export async function listForExport(uid: string): Promise<object[]> {
  const snap = await col().where('uid', '==', uid).get();
  countFirestore(Math.max(1, snap.size));
  return snap.docs.map((d) => ({ id: d.id, familyId: d.get('familyId'), createdAt: (d.get('createdAt') as Timestamp).toDate().toISOString(), expiresAt: (d.get('expiresAt') as Timestamp).toDate().toISOString(), revoked: !!d.get('revokedAt') }));
}
