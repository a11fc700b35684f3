// Who gets which insights (issue #19), persona by persona, over both routes: every refusal is
// the same 404 a stranger gets (or 401/403 where the caller's kind says so) and changes nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, startReckon, registeredClient, type Reckon } from '../support/reckon.js';
import { guest, newSession, teammate, type Person } from '../support/rooms.js';
import { newClient, portalUser } from '../portal/support.js';
import { databaseDump } from '../support/firestore.js';

let reckon: Reckon;
let admin: Person;
let tenantId: string;
let clientId: string;
let siblingClientId: string;
let strangerClientId: string;
const callers: Record<string, { get: (path: string) => Promise<{ status: number; json: any }> }> = {};

beforeAll(async () => {
  reckon = await startReckon({ RECKON_RATE_LIMITS: 'off' });
  admin = await registeredClient(reckon);
  tenantId = admin.tenant.tenantId;
  clientId = await newClient(admin, tenantId, 'Acme');
  siblingClientId = await newClient(admin, tenantId, 'Initech');
  const stranger = await registeredClient(reckon);
  strangerClientId = await newClient(stranger, stranger.tenant.tenantId, 'Globex');
  const session = await newSession(admin);
  Object.assign(callers, {
    anonymous: new ApiClient(reckon),
    guest: (await guest(reckon, session.joinCode, 'Gia')).client,
    member: (await teammate(reckon, admin)).client,
    admin: admin.client,
    otherTenantAdmin: stranger.client,
    portalOfClient: (await portalUser(reckon, admin, clientId)).client,
    portalOfSibling: (await portalUser(reckon, admin, siblingClientId)).client,
    portalOfOtherTeam: (await portalUser(reckon, stranger, strangerClientId)).client,
  });
});
afterAll(async () => { await reckon?.close(); });

describe('insights: persona matrix', () => {
  it('answers each persona on each route as its access says, and a refusal changes nothing', async () => {
    const before = await databaseDump(reckon.projectId);
    const routes = {
      team: `/api/insights?tenantId=${tenantId}`,
      client: `/api/insights?tenantId=${tenantId}&clientId=${clientId}`,
      portal: `/api/insights/portal/${clientId}`,
    };
    const want: Record<string, [number, number, number]> = {
      anonymous: [401, 401, 401],
      guest: [401, 401, 401], // a guest's token is for its session only, not a team's or a client's routes
      member: [200, 403, 404],
      admin: [200, 200, 404],
      otherTenantAdmin: [404, 404, 404],
      portalOfClient: [404, 404, 200],
      portalOfSibling: [404, 404, 404],
      portalOfOtherTeam: [404, 404, 404],
    };
    const got: Record<string, number[]> = {};
    for (const [name, c] of Object.entries(callers)) got[name] = await Promise.all(Object.values(routes).map(async (p) => (await c.get(p)).status));
    expect(got).toEqual(want);
    expect(await databaseDump(reckon.projectId)).toBe(before);
  });

  it('refuses huge and odd inputs with 400, and takes a one-month period', async () => {
    const a = callers.admin!;
    const huge = 'x'.repeat(4_000);
    for (const q of [`tenantId=${huge}`, `tenantId=${tenantId}&clientId=${huge}`, `tenantId=${tenantId}&from=${huge}`, `tenantId=${tenantId}&from=2025-00`, `tenantId=${tenantId}&to=+2025-01`]) {
      const res = await a.get(`/api/insights?${q}`);
      expect([q.slice(0, 60), res.status]).toEqual([q.slice(0, 60), 400]);
    }
    const one = await a.get(`/api/insights?tenantId=${tenantId}&from=2025-05&to=2025-05`);
    expect([one.status, one.json.trend?.length]).toEqual([200, 1]);
    expect((await callers.portalOfClient!.get(`/api/insights/portal/${clientId}?from=2025-05&to=2025-04`)).status).toBe(400);
  });
});
