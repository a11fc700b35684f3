// Clients of an agency tenant: clients/{clientId} with tenantId.
import { getDb } from './firestore.js';

/** Whether the client exists in that tenant (another tenant's client id is as good as missing). */
export async function clientBelongsTo(tenantId: string, clientId: string): Promise<boolean> {
  const snap = await getDb().collection('clients').doc(clientId).get();
  return snap.exists && snap.get('tenantId') === tenantId;
}
