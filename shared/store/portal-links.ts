// Portal links: portalLinks/{linkId} with tenantId, clientId, note, createdBy, createdAt,
// expiresAt, revokedAt, usedBy, usedAt (the token itself is never stored: it is a signed JWT
// naming the link). A link is spent by create() on portalLinkUses/{linkId} in the redeeming
// batch, so of any number of concurrent redeems exactly one commits.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface PortalLinkRecord {
  id: string; tenantId: string; clientId: string; note: string; createdBy: string | null; createdAt: number; expiresAt: number;
  revokedAt: number | null; usedBy: string | null; usedAt: number | null;
}

const links = () => getDb().collection('portalLinks');
const uses = () => getDb().collection('portalLinkUses');
const millis = (t: unknown) => (t as Timestamp | null | undefined)?.toMillis() ?? null;

function toRecord(id: string, d: FirebaseFirestore.DocumentData): PortalLinkRecord {
  return {
    id, tenantId: d.tenantId, clientId: d.clientId, note: d.note ?? '', createdBy: d.createdBy ?? null, createdAt: millis(d.createdAt)!, expiresAt: millis(d.expiresAt)!,
    revokedAt: millis(d.revokedAt), usedBy: d.usedBy ?? null, usedAt: millis(d.usedAt),
  };
}

export function createPortalLinkIn(batch: FirebaseFirestore.WriteBatch, r: PortalLinkRecord): void {
  batch.create(links().doc(r.id), {
    tenantId: r.tenantId, clientId: r.clientId, note: r.note, createdBy: r.createdBy, createdAt: Timestamp.fromMillis(r.createdAt),
    expiresAt: Timestamp.fromMillis(r.expiresAt), revokedAt: null, usedBy: null, usedAt: null,
  });
}

/** A link with the time it was last written: revoking and spending it write only if it is still as read. */
export type ReadPortalLink = PortalLinkRecord & { updateTime: Timestamp };

/** The link of this tenant and client, or undefined (another's looks missing). */
export async function getPortalLink(tenantId: string, clientId: string, id: string): Promise<ReadPortalLink | undefined> {
  const snap = await links().doc(id).get();
  if (!snap.exists || snap.get('tenantId') !== tenantId || snap.get('clientId') !== clientId) return undefined;
  return { ...toRecord(id, snap.data()!), updateTime: snap.updateTime! };
}

export async function listPortalLinks(tenantId: string, clientId: string): Promise<PortalLinkRecord[]> {
  const snap = await links().where('tenantId', '==', tenantId).where('clientId', '==', clientId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data())).sort((a, b) => b.createdAt - a.createdAt);
}

/**
 * Revokes the link if it is still as read (FAILED_PRECONDITION otherwise): a redeem that committed
 * in between is not hidden behind "revoked".
 */
export function revokePortalLinkIn(batch: FirebaseFirestore.WriteBatch, link: ReadPortalLink, now: number): void {
  batch.update(links().doc(link.id), { revokedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: link.updateTime });
}

/**
 * Spends the link for `uid`: the create() fails with ALREADY_EXISTS when someone spent it first,
 * and the link's update with FAILED_PRECONDITION when it was revoked since it was read.
 */
export function spendPortalLinkIn(batch: FirebaseFirestore.WriteBatch, link: ReadPortalLink, uid: string, now: number): void {
  batch.create(uses().doc(link.id), { tenantId: link.tenantId, clientId: link.clientId, uid, usedAt: Timestamp.fromMillis(now) });
  batch.update(links().doc(link.id), { usedBy: uid, usedAt: Timestamp.fromMillis(now) }, { lastUpdateTime: link.updateTime });
}

/**
 * Forgets an erased user on portal links (issue #17): as their creator or their redeemer the link
 * keeps null, and the link's use record loses the uid. Keyed by uid across tenants (the user's own
 * traces); `limit` bounds one pass, and the updated ones leave the query, so passes run until none is left.
 */
export async function forgetUserOnLinks(uid: string, limit: number): Promise<number> {
  const [created, used, spent] = await Promise.all([
    links().where('createdBy', '==', uid).limit(limit).select().get(),
    links().where('usedBy', '==', uid).limit(limit).select().get(),
    uses().where('uid', '==', uid).limit(limit).select().get(),
  ]);
  const writer = getDb().bulkWriter();
  for (const d of created.docs) void writer.update(d.ref, { createdBy: null });
  for (const d of used.docs) void writer.update(d.ref, { usedBy: null });
  for (const d of spent.docs) void writer.update(d.ref, { uid: null });
  await writer.close();
  return created.size + used.size + spent.size;
}
