// Forge installations: forgeInstallations/{cloudId} (a cloud id belongs to at most one tenant, so
// it is the document id), and webhookDeliveries/{cloudId}_{deliveryId} (each delivery accepted
// once; expiresAt is a TTL field).
import { Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates, isPreconditionFailure } from './firestore.js';
import type { Envelope } from '../security/envelope.js';

export interface ForgeInstallationRecord {
  cloudId: string; tenantId: string; status: 'active' | 'revoked';
  /** The Forge installation that bound the site (from its invocation token), and its environment. */
  installationId: string | null; environment: string | null;
  secret: Envelope;
  /** The secret before the last rotation, accepted until previousSecretValidUntil. */
  previousSecret: Envelope | null; previousSecretValidUntil: number | null;
  createdBy: string; createdAt: number; rotatedAt: number | null; revokedAt: number | null; lastDeliveryAt: number | null;
}

export interface StoredInstallation { record: ForgeInstallationRecord; updateTime: Timestamp }

const installations = () => getDb().collection('forgeInstallations');
const deliveries = () => getDb().collection('webhookDeliveries');

const millis = (t: unknown) => (t as Timestamp | null | undefined)?.toMillis() ?? null;
const stamp = (ms: number | null) => (ms === null ? null : Timestamp.fromMillis(ms));

function toRecord(cloudId: string, d: FirebaseFirestore.DocumentData): ForgeInstallationRecord {
  return {
    cloudId, tenantId: d.tenantId, status: d.status, installationId: d.installationId ?? null, environment: d.environment ?? null, secret: d.secret, previousSecret: d.previousSecret ?? null,
    previousSecretValidUntil: millis(d.previousSecretValidUntil), createdBy: d.createdBy, createdAt: millis(d.createdAt)!,
    rotatedAt: millis(d.rotatedAt), revokedAt: millis(d.revokedAt), lastDeliveryAt: millis(d.lastDeliveryAt),
  };
}

export function installationDocument(r: ForgeInstallationRecord): FirebaseFirestore.DocumentData {
  const { cloudId: _id, createdAt, rotatedAt, revokedAt, lastDeliveryAt, previousSecretValidUntil, ...fields } = r;
  return {
    ...fields, createdAt: stamp(createdAt), rotatedAt: stamp(rotatedAt), revokedAt: stamp(revokedAt),
    lastDeliveryAt: stamp(lastDeliveryAt), previousSecretValidUntil: stamp(previousSecretValidUntil),
  };
}

export async function getInstallation(cloudId: string): Promise<StoredInstallation | undefined> {
  const snap = await installations().doc(cloudId).get();
  return snap.exists ? { record: toRecord(cloudId, snap.data()!), updateTime: snap.updateTime! } : undefined;
}

/**
 * Writes an installation over the one read as `seen` (registering again after a revoke,
 * rotating, revoking); false when it changed since it was read.
 */
export async function replaceInstallation(seen: StoredInstallation, r: ForgeInstallationRecord, also?: (batch: FirebaseFirestore.WriteBatch) => void): Promise<boolean> {
  try {
    const batch = getDb().batch();
    batch.update(installations().doc(r.cloudId), installationDocument(r), { lastUpdateTime: seen.updateTime });
    also?.(batch);
    await batch.commit();
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
  return true;
}

export async function listInstallations(tenantId: string): Promise<ForgeInstallationRecord[]> {
  const snap = await installations().where('tenantId', '==', tenantId).orderBy('createdAt').get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

const deliveryDoc = (cloudId: string, deliveryId: string) => deliveries().doc(`${cloudId}_${deliveryId}`);

/**
 * Accepts a delivery id once: creates its record and stamps the installation's last delivery,
 * atomically. False when the id was seen before (nothing written).
 */
export async function recordDelivery(cloudId: string, deliveryId: string, now: number, keepMs: number): Promise<boolean> {
  const batch = getDb().batch();
  batch.create(deliveryDoc(cloudId, deliveryId), { cloudId, receivedAt: Timestamp.fromMillis(now), expiresAt: Timestamp.fromMillis(now + keepMs) });
  batch.update(installations().doc(cloudId), { lastDeliveryAt: Timestamp.fromMillis(now) });
  return commitCreates(batch);
}

/** Forgets a delivery whose processing failed on our side, so the sender's retry is accepted. */
export async function forgetDelivery(cloudId: string, deliveryId: string): Promise<void> {
  await deliveryDoc(cloudId, deliveryId).delete();
}
