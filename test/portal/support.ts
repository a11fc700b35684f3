// Helpers for the portal tests: clients, links and portal users over HTTP.
import { registeredClient, type Reckon, type ApiResponse } from '../support/reckon.js';

export type Person = Awaited<ReturnType<typeof registeredClient>>;

export async function newClient(admin: Person, tenantId: string, name = 'Acme Corp'): Promise<string> {
  const res = await admin.client.post('/api/portal/clients', { tenantId, name });
  if (res.status !== 201) throw new Error(`create client failed: ${res.status} ${res.text}`);
  return res.json.client.id;
}

export async function newLink(admin: Person, clientId: string, body: object = {}): Promise<{ id: string; token: string; url: string }> {
  const res = await admin.client.post(`/api/portal/clients/${clientId}/links`, body);
  if (res.status !== 201) throw new Error(`create link failed: ${res.status} ${res.text}`);
  const url: string = res.json.url;
  return { id: res.json.link.id, url, token: url.slice(url.indexOf('#/portal/link/') + '#/portal/link/'.length) };
}

export const redeem = (person: Person, token: string): Promise<ApiResponse> => person.client.post('/api/portal/links/redeem', { token });

/** Registers someone and makes them a portal user of the client by a fresh link. */
export async function portalUser(reckon: Reckon, admin: Person, clientId: string): Promise<Person> {
  const person = await registeredClient(reckon);
  const res = await redeem(person, (await newLink(admin, clientId)).token);
  if (res.status !== 200) throw new Error(`redeem failed: ${res.status} ${res.text}`);
  return person;
}
