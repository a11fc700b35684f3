// The audit log: auditEvents/{id} with tenantId, at, actorUid, action, target, details and
// expiresAt (a TTL field: Firestore deletes events 400 days after they happened). An event is
// written in the same batch as the change it records, so neither exists without the other.
import { FieldPath, Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import { newId } from '../security/tokens.js';
import type { AuditAction, AuditTargetType } from '../schemas/teams.js';

export const AUDIT_KEEP_MS = 400 * 86_400_000;

export interface AuditEvent {
  tenantId: string; at: number; actorUid: string; action: AuditAction;
  target: { type: AuditTargetType; id: string };
  /** Names, roles, counts: never a password, token or secret. */
  details: Record<string, string | number | null>;
}
export interface StoredAuditEvent extends AuditEvent { id: string }

const events = () => getDb().collection('auditEvents');

/** Adds the event to the batch that makes the change it records. */
export function recordAuditIn(batch: FirebaseFirestore.WriteBatch, e: AuditEvent): void {
  batch.create(events().doc(newId()), { ...e, at: Timestamp.fromMillis(e.at), expiresAt: Timestamp.fromMillis(e.at + AUDIT_KEEP_MS) });
}

/** Commits one event on its own batch (for changes whose store writes take a batch hook). */
export function auditHook(e: AuditEvent): (batch: FirebaseFirestore.WriteBatch) => void {
  return (batch) => recordAuditIn(batch, e);
}

/** A tenant's events, newest first, strictly before the cursor (at, id). */
export async function listAuditEvents(tenantId: string, before: { at: number; id: string } | undefined, limit: number): Promise<StoredAuditEvent[]> {
  let q = events().where('tenantId', '==', tenantId).orderBy('at', 'desc').orderBy(FieldPath.documentId(), 'desc').limit(limit);
  if (before) q = q.startAfter(Timestamp.fromMillis(before.at), before.id);
  const snap = await q.get();
  return snap.docs.map((d) => {
    const x = d.data();
    return { id: d.id, tenantId: x.tenantId, at: (x.at as Timestamp).toMillis(), actorUid: x.actorUid, action: x.action, target: x.target, details: x.details ?? {} };
  });
}
