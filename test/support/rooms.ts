// Helpers for room tests: sessions, team members, guests and the poll, all over HTTP (a team
// member is seeded in Firestore because team management has no API yet).
import { getDb } from '../../shared/store/firestore.js';
import { endAccessTokensIn } from '../../shared/store/users.js';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, type Reckon, type ApiResponse } from './reckon.js';
import { newFirestore } from './firestore.js';

export type Person = Awaited<ReturnType<typeof registeredClient>>;

export async function newSession(owner: Person, body: object = {}): Promise<{ id: string; joinCode: string; tenantId: string }> {
  const res = await owner.client.post('/api/sessions', { tenantId: owner.tenant.tenantId, name: 'Sprint 42', deck: 'fibonacci', ...body });
  if (res.status !== 201) throw new Error(`create session failed: ${res.status} ${res.text}`);
  return res.json.session;
}

/** Registers someone and makes them a member (or admin) of another person's team. */
export async function teammate(reckon: Reckon, of: Person, role: 'admin' | 'member' = 'member'): Promise<Person> {
  const person = await registeredClient(reckon);
  const db = newFirestore({ projectId: reckon.projectId });
  await db.doc(`memberships/${of.tenant.tenantId}_${person.user.uid}`).set({ tenantId: of.tenant.tenantId, uid: person.user.uid, role, createdAt: Timestamp.now() });
  await db.terminate();
  const refreshed = await person.client.post('/api/auth/refresh');
  if (refreshed.status !== 200) throw new Error(`refresh failed: ${refreshed.status}`);
  return person;
}

export async function guest(reckon: Reckon, joinCode: string, displayName = 'Guest', role: 'voter' | 'spectator' = 'voter'): Promise<{ client: ApiClient; participantId: string; res: ApiResponse }> {
  const client = new ApiClient(reckon);
  const res = await client.post('/api/auth/guest', { joinCode, displayName, role });
  if (res.status !== 201) throw new Error(`guest join failed: ${res.status} ${res.text}`);
  return { client, participantId: res.json.participant.id, res };
}

export async function addIssues(owner: Person, sessionId: string, titles: string[]): Promise<string[]> {
  const res = await owner.client.post(`/api/sessions/${sessionId}/issues`, { issues: titles.map((title) => ({ title })) });
  if (res.status !== 201) throw new Error(`add issues failed: ${res.status} ${res.text}`);
  return res.json.issues.map((i: { id: string }) => i.id);
}

export async function startRound(owner: Person, sessionId: string, issueId: string): Promise<number> {
  const res = await owner.client.post(`/api/sessions/${sessionId}/current`, { issueId });
  if (res.status !== 200) throw new Error(`set current failed: ${res.status} ${res.text}`);
  return res.json.round;
}

export const poll = (client: ApiClient, sessionId: string, etag?: string) =>
  client.get(`/api/sessions/${sessionId}/state`, { headers: etag ? { 'if-none-match': etag } : {} });

export const vote = (client: ApiClient, sessionId: string, issueId: string, round: number, value: string) =>
  client.put(`/api/votes/${sessionId}`, { issueId, round, value });

/** What the teams function does when it removes a member or changes a role: the membership and the epoch in one batch. */
export async function changeMembership(tenantId: string, uid: string, change: { role: 'admin' | 'member' } | 'remove'): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  const ref = db.collection('memberships').doc(`${tenantId}_${uid}`);
  if (change === 'remove') batch.delete(ref); else batch.update(ref, { role: change.role });
  endAccessTokensIn(batch, uid);
  await batch.commit();
}
