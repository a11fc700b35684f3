// Refresh tokens: refreshTokens/{id} holding a hash of the secret, grouped in families that are
// revoked together on reuse, logout, password change or account deletion.
import { Timestamp } from '@google-cloud/firestore';
import { getDb, isPreconditionFailure } from './firestore.js';

export interface RefreshRecord {
  id: string;
  uid: string;
  familyId: string;
  /** When the family's first token was issued (sign-in); a password change ends families started before it. */
  familyStartedAt: number;
  hash: string;
  expiresAt: number;
  revokedAt?: number;
  /** Set when this token was exchanged for a newer one. */
  rotatedAt?: number;
  updateTime: Timestamp;
}

const col = () => getDb().collection('refreshTokens');

export async function saveRefreshToken(r: { id: string; uid: string; familyId: string; familyStartedAt: number; hash: string; expiresAt: number; createdAt: number }): Promise<void> {
  await col().doc(r.id).create({ uid: r.uid, familyId: r.familyId, familyStartedAt: Timestamp.fromMillis(r.familyStartedAt), hash: r.hash, expiresAt: Timestamp.fromMillis(r.expiresAt), createdAt: Timestamp.fromMillis(r.createdAt) });
}

export async function getRefreshToken(id: string): Promise<RefreshRecord | undefined> {
  const snap = await col().doc(id).get();
  if (!snap.exists) return undefined;
  const d = snap.data()!;
  return {
    id, uid: d.uid, familyId: d.familyId, familyStartedAt: (d.familyStartedAt as Timestamp | undefined)?.toMillis() ?? 0, hash: d.hash, expiresAt: (d.expiresAt as Timestamp).toMillis(),
    revokedAt: (d.revokedAt as Timestamp | undefined)?.toMillis(), rotatedAt: (d.rotatedAt as Timestamp | undefined)?.toMillis(),
    updateTime: snap.updateTime!,
  };
}

/** Marks a token as exchanged; false when someone else exchanged it first (precondition failed). */
export async function markRotated(record: RefreshRecord, now: number): Promise<boolean> {
  try {
    await col().doc(record.id).update({ rotatedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: record.updateTime });
    return true;
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
}

async function revokeWhere(field: 'familyId' | 'uid', value: string, now: number, keepFamilyId?: string): Promise<void> {
  const snap = await col().where(field, '==', value).get();
  const writer = getDb().bulkWriter();
  for (const d of snap.docs) if (!d.get('revokedAt') && d.get('familyId') !== keepFamilyId) void writer.update(d.ref, { revokedAt: Timestamp.fromMillis(now) });
  await writer.close();
}

/**
 * Ends a family for good: first its mark in endedFamilies/{familyId} (which every refresh reads,
 * familyEnded), then its tokens. Revoking the tokens alone is a query and then writes, so a
 * refresh racing it could save a new token the query never saw and carry the family on.
 */
export async function revokeFamily(familyId: string, now: number, keepForMs: number): Promise<void> {
  await endedFamilies().doc(familyId).set({ endedAt: Timestamp.fromMillis(now), expiresAt: Timestamp.fromMillis(now + keepForMs) });
  await revokeWhere('familyId', familyId, now);
}

/** Whether the family was ended (logout, reuse): read by every refresh after it read the user's epoch. */
export async function familyEnded(familyId: string): Promise<boolean> {
  return (await endedFamilies().doc(familyId).get()).exists;
}

/** endedFamilies/{familyId} {endedAt, expiresAt (TTL: the refresh tokens' lifetime)}: no uid, nothing personal. */
const endedFamilies = () => getDb().collection('endedFamilies');
/** Revokes every refresh token of the user but those of `keepFamilyId` (the family just started). */
export async function revokeAllOfUser(uid: string, now: number, keepFamilyId?: string): Promise<void> {
  await revokeWhere('uid', uid, now, keepFamilyId);
}

/** Removes every refresh token of a user (account deletion). */
export async function deleteAllOfUser(uid: string): Promise<void> {
  const snap = await col().where('uid', '==', uid).select().get();
  const writer = getDb().bulkWriter();
  for (const d of snap.docs) void writer.delete(d.ref);
  await writer.close();
}

/** Token metadata for the user's data export (never the hash). */
export async function listForExport(uid: string): Promise<object[]> {
  const snap = await col().where('uid', '==', uid).get();
  return snap.docs.map((d) => ({ id: d.id, familyId: d.get('familyId'), createdAt: (d.get('createdAt') as Timestamp).toDate().toISOString(), expiresAt: (d.get('expiresAt') as Timestamp).toDate().toISOString(), revoked: !!d.get('revokedAt') }));
}
