// Helpers for the teams tests: teams, invites and joining over HTTP, and "nothing changed" checks.
import { describe, expect, it } from 'vitest';
import { registeredClient, type ApiClient, type Reckon, type ApiResponse } from '../support/reckon.js';
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
  // Collections and sessions' subcollections are read in parallel, then sorted: in order, the
  // round trips added up to most of the hostile-route files' time.
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    await Promise.all(collections.filter((x) => x.id !== 'rateLimits').map(async (c) => {
      const snap = await c.get();
      for (const d of snap.docs) out.push(`${d.ref.path} @${d.updateTime.toMillis()}.${d.updateTime.nanoseconds} ${JSON.stringify(d.data())}`);
      // Only sessions have subcollections (participants, issues, votes, …).
      if (c.id === 'sessions') await Promise.all(snap.docs.map(async (d) => walk(await d.ref.listCollections())));
    }));
  };
  await walk(await db.listCollections());
  out.sort();
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

/** One hostile call: who sends it, what, and the refusal it must get. */
export interface HostileCase { name: string; method?: string; path?: string; body?: unknown; raw?: string; headers?: Record<string, string | undefined>; status: number; code?: string }

/**
 * For each route: at least 15 hostile cases, each refused as its case says with the whole
 * database unchanged (the teams and portal functions' hostile suites).
 */
export function describeHostileRoutes<R extends { method: string; path: () => string }, C extends HostileCase>(
  reckon: () => Reckon, routes: Record<string, R>, casesOf: (route: R) => C[], clientOf: (c: C) => ApiClient,
): void {
  const send = (r: R, c: C): Promise<ApiResponse> => {
    const client = clientOf(c);
    const path = c.path ?? r.path();
    const method = c.method ?? r.method;
    if (c.raw !== undefined) return client.request(method, path, { rawBody: c.raw, headers: c.headers });
    return client.request(method, path, { body: c.body, headers: c.headers });
  };
  describe.each(Object.entries(routes))('%s', (_name, route) => {
    it('is attacked at least 15 ways', () => {
      if (casesOf(route).length < 15) throw new Error(`only ${casesOf(route).length} hostile cases`);
    });
    it('refuses every hostile call and changes nothing', async () => {
      const before = await stateOf(reckon());
      for (const c of casesOf(route)) {
        try {
          await refusedWithoutChange(reckon(), () => send(route, c), c.status, c.code, before);
        } catch (e) {
          throw new Error(`case "${c.name}": ${(e as Error).message}`, { cause: e });
        }
      }
    });
  });
}
