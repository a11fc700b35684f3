// Jira connections: jiraConnections/{id}. The API token is stored only inside an envelope.
import { FieldPath, Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import type { Envelope } from '../security/envelope.js';

export interface JiraConnectionRecord {
  id: string; tenantId: string; siteUrl: string; accountEmail: string; secret: Envelope; tokenHint: string;
  jiraAccountName: string; storyPointFieldIds: string[]; createdBy: string; createdAt: number; lastCheckedAt: number;
}

const connections = () => getDb().collection('jiraConnections');

function toRecord(id: string, d: FirebaseFirestore.DocumentData): JiraConnectionRecord {
  return {
    id, tenantId: d.tenantId, siteUrl: d.siteUrl, accountEmail: d.accountEmail, secret: d.secret, tokenHint: d.tokenHint,
    jiraAccountName: d.jiraAccountName ?? '', storyPointFieldIds: d.storyPointFieldIds ?? [], createdBy: d.createdBy,
    createdAt: (d.createdAt as Timestamp).toMillis(), lastCheckedAt: (d.lastCheckedAt as Timestamp).toMillis(),
  };
}

/** `also` adds writes that belong to the same change (its audit event) to the batch. */
export async function saveConnection(c: JiraConnectionRecord, also?: (batch: FirebaseFirestore.WriteBatch) => void): Promise<void> {
  const { id, createdAt, lastCheckedAt, ...fields } = c;
  const batch = getDb().batch();
  batch.set(connections().doc(id), { ...fields, createdAt: Timestamp.fromMillis(createdAt), lastCheckedAt: Timestamp.fromMillis(lastCheckedAt) });
  also?.(batch);
  await batch.commit();
}

/** A connection of this tenant, or undefined (another tenant's id looks missing). */
export async function getConnection(tenantId: string, id: string): Promise<JiraConnectionRecord | undefined> {
  const snap = await connections().doc(id).get();
  if (!snap.exists || snap.get('tenantId') !== tenantId) return undefined;
  return toRecord(id, snap.data()!);
}

export async function listConnections(tenantId: string): Promise<JiraConnectionRecord[]> {
  const snap = await connections().where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data())).sort((a, b) => a.createdAt - b.createdAt);
}

export async function markChecked(id: string, now: number, fields: Partial<Pick<JiraConnectionRecord, 'jiraAccountName' | 'storyPointFieldIds'>>, synced = false): Promise<void> {
  await connections().doc(id).update({ ...fields, lastCheckedAt: Timestamp.fromMillis(now), ...(synced && { lastSyncedAt: Timestamp.fromMillis(now) }) });
}

export async function deleteConnection(id: string, also?: (batch: FirebaseFirestore.WriteBatch) => void): Promise<void> {
  const batch = getDb().batch();
  batch.delete(connections().doc(id));
  also?.(batch);
  await batch.commit();
}

/** Every connection, in id order after `after` (the sync job walks them across tenants). */
export async function listAllConnections(after: string | null, limit: number): Promise<JiraConnectionRecord[]> {
  let q = connections().orderBy(FieldPath.documentId()).limit(limit);
  if (after) q = q.startAfter(after);
  const snap = await q.get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}
