// Helpers for the teams tests: teams, invites and joining over HTTP, and "nothing changed" checks.
import { expect } from 'vitest';
import { registeredClient, type Reckon, type ApiResponse } from '../support/reckon.js';
import type { Firestore } from '@google-cloud/firestore';
import { newFirestore } from '../support/firestore.js';

export type Person = Awaited<ReturnType<typeof registeredClient>>;

/** A new team of `admin`'s; the admin's token is refreshed so it carries the new role. */
export async function newTeam(admin: Person, name = 'Platform'): Promise<string> {
  const res = await admin.client.post('/api/teams', { name });
  if (res.status !== 201) throw new Error(`create team failed: ${res.status} ${res.text}`);
  await admin.client.post('/api/auth/refresh');
  return res.json.team.tenantId;
}

export async function newInvite(admin: Person, tenantId: string, body: object = {}): Promise<{ id: string; token: string; url: string }> {
  const res = await admin.client.post(`/api/teams/${tenantId}/invites`, { role: 'member', ...body });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`);
  const url: string = res.json.url;
  return { id: res.json.invite.id, url, token: url.slice(url.indexOf('#/invite/') + '#/invite/'.length) };
}

export async function accept(person: Person, token: string): Promise<ApiResponse> {
  const res = await person.client.post('/api/teams/invites/accept', { token });
  if (res.status === 200) await person.client.post('/api/auth/refresh');
  return res;
}

/** Registers someone and brings them into the team by an invite link. */
export async function joined(reckon: Reckon, admin: Person, tenantId: string, role: 'admin' | 'member' = 'member'): Promise<Person> {
  const person = await registeredClient(reckon);
  const invite = await newInvite(admin, tenantId, { role });
  const res = await accept(person, invite.token);
  if (res.status !== 200) throw new Error(`accept failed: ${res.status} ${res.text}`);
  return person;
}

const clients = new Map<string, Firestore>();

/**
 * Every document (subcollections included) with its data and update time, except rate-limit
 * counters (a refused call still counts against its limit). Like test/support's databaseDump,
 * but a query per collection instead of a read per document (and subcollections only under
 * sessions, the one collection that has them), so hundreds of checks stay fast.
 */
export async function stateOf(reckon: Reckon): Promise<string> {
  let db = clients.get(reckon.projectId);
  if (!db) clients.set(reckon.projectId, db = newFirestore({ projectId: reckon.projectId }));
  const out: string[] = [];
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    for (const c of collections.filter((x) => x.id !== 'rateLimits').sort((a, b) => a.id.localeCompare(b.id))) {
      const snap = await c.get();
      for (const d of snap.docs) {
        out.push(`${d.ref.path} @${d.updateTime.toMillis()}.${d.updateTime.nanoseconds} ${JSON.stringify(d.data())}`);
        // Only sessions have subcollections (participants, issues, votes, …).
        if (c.id === 'sessions') await walk(await d.ref.listCollections());
      }
    }
  };
  await walk(await db.listCollections());
  return out.join('\n');
}

/** Runs the call and asserts its status (and error code), and that no document changed. */
export async function refusedWithoutChange(reckon: Reckon, call: () => Promise<ApiResponse>, status: number, code?: string, before?: string): Promise<ApiResponse> {
  before ??= await stateOf(reckon);
  const res = await call();
  expect({ status: res.status, code: res.json?.error?.code }, res.text.slice(0, 300)).toEqual({ status, code: code ?? res.json?.error?.code });
  expect(await stateOf(reckon)).toBe(before);
  return res;
}
