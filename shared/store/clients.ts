// Clients of an agency tenant: clients/{clientId} with tenantId, name, archived, createdBy,
// createdAt. Every read filters on tenantId: another tenant's client is as good as missing.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';

export interface ClientRecord { id: string; tenantId: string; name: string; archived: boolean; createdBy: string; createdAt: number }

const clients = () => getDb().collection('clients');

function toRecord(id: string, d: FirebaseFirestore.DocumentData): ClientRecord {
  return { id, tenantId: d.tenantId, name: d.name, archived: d.archived === true, createdBy: d.createdBy ?? '', createdAt: (d.createdAt as Timestamp | undefined)?.toMillis() ?? 0 };
}

/** Whether the client exists in that tenant (another tenant's client id is as good as missing). */
export async function clientBelongsTo(tenantId: string, clientId: string): Promise<boolean> {
  return (await getClient(tenantId, clientId)) !== undefined;
}

/** The client of this tenant, or undefined. */
export async function getClient(tenantId: string, clientId: string): Promise<ClientRecord | undefined> {
  const snap = await clients().doc(clientId).get();
  if (!snap.exists || snap.get('tenantId') !== tenantId) return undefined;
  return toRecord(snap.id, snap.data()!);
}

/** A client by id alone, for routes that learn the tenant from it (the caller's standing is checked next). */
export async function getClientById(clientId: string): Promise<ClientRecord | undefined> {
  const snap = await clients().doc(clientId).get();
  return snap.exists ? toRecord(snap.id, snap.data()!) : undefined;
}

export async function listClients(tenantId: string): Promise<ClientRecord[]> {
  const snap = await clients().where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data())).sort((a, b) => a.name.localeCompare(b.name));
}

export async function getClientsByIds(ids: string[]): Promise<Map<string, ClientRecord>> {
  if (ids.length === 0) return new Map();
  const snaps = await getDb().getAll(...ids.map((id) => clients().doc(id)));
  return new Map(snaps.filter((s) => s.exists).map((s) => [s.id, toRecord(s.id, s.data()!)]));
}

export function createClientIn(batch: FirebaseFirestore.WriteBatch, c: ClientRecord): void {
  const { id, createdAt, ...fields } = c;
  batch.create(clients().doc(id), { ...fields, createdAt: Timestamp.fromMillis(createdAt) });
}

export function updateClientIn(batch: FirebaseFirestore.WriteBatch, id: string, change: { name?: string; archived?: boolean }): void {
  batch.update(clients().doc(id), change);
}
