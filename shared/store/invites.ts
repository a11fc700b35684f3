// Invite links: invites/{id} with tenantId, role, tokenHash (SHA-256 of the token; the token
// itself is never stored), expiresAt, maxUses, uses, createdBy, createdAt, revokedAt; and
// inviteUses/{id}_{n}, one key document per use. A use is taken by create() on the next free
// slot together with an increment of `uses`, so a burst can never take more than maxUses slots
// and no hot document is read-modify-written.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { commitCreates, getDb, isPreconditionFailure } from './firestore.js';
import type { Role } from '../security/tokens.js';

export interface InviteRecord {
  id: string; tenantId: string; role: Role; tokenHash: string; expiresAt: number; maxUses: number; uses: number;
  createdBy: string; createdAt: number; revokedAt: number | null;
}

const invites = () => getDb().collection('invites');
const uses = () => getDb().collection('inviteUses');
const millis = (t: unknown) => (t as Timestamp | null | undefined)?.toMillis() ?? null;

function toRecord(id: string, d: FirebaseFirestore.DocumentData): InviteRecord {
  return {
    id, tenantId: d.tenantId, role: d.role, tokenHash: d.tokenHash, expiresAt: millis(d.expiresAt)!, maxUses: d.maxUses, uses: d.uses,
    createdBy: d.createdBy, createdAt: millis(d.createdAt)!, revokedAt: millis(d.revokedAt),
  };
}

/** An expired invite stays in the admins' list this long (as expired), then Firestore's TTL on
 *  `deleteAt` removes it and its uses; the audit log keeps who joined (400 days). */
export const EXPIRED_INVITE_KEPT_MS = 90 * 86_400_000;
const deleteAtOf = (expiresAt: number) => Timestamp.fromMillis(expiresAt + EXPIRED_INVITE_KEPT_MS);

export function createInviteIn(batch: FirebaseFirestore.WriteBatch, r: InviteRecord): void {
  const { id, expiresAt, createdAt, revokedAt, ...fields } = r;
  batch.create(invites().doc(id), {
    ...fields, expiresAt: Timestamp.fromMillis(expiresAt), createdAt: Timestamp.fromMillis(createdAt), revokedAt: revokedAt === null ? null : Timestamp.fromMillis(revokedAt),
    deleteAt: deleteAtOf(expiresAt),
  });
}

/** An invite with the update time it was read at: a use is taken only if it is still as read. */
export type ReadInvite = InviteRecord & { updateTime: Timestamp };

export async function findInviteByTokenHash(tokenHash: string): Promise<ReadInvite | undefined> {
  const snap = await invites().where('tokenHash', '==', tokenHash).limit(1).get();
  const doc = snap.docs[0];
  return doc ? { ...toRecord(doc.id, doc.data()), updateTime: doc.updateTime } : undefined;
}

/** An invite of this tenant, or undefined (another tenant's id looks missing). */
export async function getInvite(tenantId: string, id: string): Promise<InviteRecord | undefined> {
  const snap = await invites().doc(id).get();
  if (!snap.exists || snap.get('tenantId') !== tenantId) return undefined;
  return toRecord(id, snap.data()!);
}

export async function listInvites(tenantId: string): Promise<InviteRecord[]> {
  const snap = await invites().where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data())).sort((a, b) => b.createdAt - a.createdAt);
}

export function revokeInviteIn(batch: FirebaseFirestore.WriteBatch, id: string, now: number): void {
  batch.update(invites().doc(id), { revokedAt: Timestamp.fromMillis(now) });
}

/** The ids of the tenant's unrevoked invites `uid` made (an admin's links die with their admin role). */
export async function unrevokedInvitesBy(tenantId: string, uid: string): Promise<string[]> {
  const snap = await invites().where('tenantId', '==', tenantId).where('createdBy', '==', uid).where('revokedAt', '==', null).select().get();
  return snap.docs.map((d) => d.id);
}

/**
 * Takes use number `slot` (0-based) of the invite for `uid`: fails with ALREADY_EXISTS when someone
 * took it first, and with FAILED_PRECONDITION when the invite changed since it was read (another
 * use, or a revocation: an accept in flight cannot join through an invite revoked meanwhile).
 */
export function takeInviteUseIn(batch: FirebaseFirestore.WriteBatch, invite: ReadInvite, slot: number, uid: string, now: number): void {
  batch.create(uses().doc(`${invite.id}_${slot}`), { tenantId: invite.tenantId, inviteId: invite.id, uid, usedAt: Timestamp.fromMillis(now), deleteAt: deleteAtOf(invite.expiresAt) });
  batch.update(invites().doc(invite.id), { uses: FieldValue.increment(1) }, { lastUpdateTime: invite.updateTime });
}

/** Commits a use taken with takeInviteUseIn; false when another accept or a revocation came first (nothing written). */
export async function commitInviteUse(batch: FirebaseFirestore.WriteBatch): Promise<boolean> {
  try {
    return await commitCreates(batch);
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
}
