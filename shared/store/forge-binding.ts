// Binding a Jira site to a team: forgeConnectCodes/{sha256(code)} (a team admin's one-time code,
// stored only hashed; expiresAt is a TTL field), and forgeSpent/{kind}_{hash} (a used connect
// code, a used invocation token's jti: each created once, so a second use fails on create()).
// A bind commits the spent code, the spent token and the installation in one batch: a refused
// bind writes nothing, and of two binds racing with one code exactly one wins.
import { Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates, isPreconditionFailure } from './firestore.js';
import { installationDocument, type ForgeInstallationRecord, type StoredInstallation } from './forge-installations.js';

export interface ConnectCodeRecord { codeHash: string; tenantId: string; createdBy: string; createdAt: number; expiresAt: number }

const codes = () => getDb().collection('forgeConnectCodes');
const spent = () => getDb().collection('forgeSpent');

export async function createConnectCode(r: ConnectCodeRecord, also?: (batch: FirebaseFirestore.WriteBatch) => void): Promise<void> {
  const batch = getDb().batch();
  batch.create(codes().doc(r.codeHash), { tenantId: r.tenantId, createdBy: r.createdBy, createdAt: Timestamp.fromMillis(r.createdAt), expiresAt: Timestamp.fromMillis(r.expiresAt) });
  also?.(batch);
  await batch.commit();
}

export async function getConnectCode(codeHash: string): Promise<ConnectCodeRecord | undefined> {
  const snap = await codes().doc(codeHash).get();
  if (!snap.exists) return undefined;
  const d = snap.data()!;
  return { codeHash, tenantId: d.tenantId, createdBy: d.createdBy, createdAt: (d.createdAt as Timestamp).toMillis(), expiresAt: (d.expiresAt as Timestamp).toMillis() };
}

export async function isSpent(kind: 'code' | 'fit', hash: string): Promise<boolean> {
  return (await spent().doc(`${kind}_${hash}`).get()).exists;
}

export interface Spend { kind: 'code' | 'fit'; hash: string; keepUntil: number }

/**
 * Spends the code and/or token and writes the installation (created when `seen` is undefined,
 * else replaced if unchanged since read), atomically. False when something was spent or written
 * meanwhile (nothing written then).
 */
export async function commitAttested(spends: Spend[], r: ForgeInstallationRecord, seen: StoredInstallation | undefined, also?: (batch: FirebaseFirestore.WriteBatch) => void): Promise<boolean> {
  const batch = getDb().batch();
  for (const s of spends) batch.create(spent().doc(`${s.kind}_${s.hash}`), { expiresAt: Timestamp.fromMillis(s.keepUntil) });
  const doc = getDb().collection('forgeInstallations').doc(r.cloudId);
  if (seen) batch.update(doc, installationDocument(r), { lastUpdateTime: seen.updateTime }); else batch.create(doc, installationDocument(r));
  also?.(batch);
  try {
    return await commitCreates(batch);
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
}
