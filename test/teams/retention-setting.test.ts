// Issue #20: a team's admins set how long closed sessions are kept (PATCH /api/teams/:id with
// sessionRetentionDays, 30–3650, default 365); every member sees it; each change is audited. The
// retention job honouring it is tested in test/jobs/retention.test.ts; refusals in hostile.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { joined, newTeam, stateOf, type Person } from './support.js';

let reckon: Reckon;
let ada: Person;
let db: FirebaseFirestore.Firestore;
beforeAll(async () => {
  reckon = await startReckon();
  ada = await registeredClient(reckon, { displayName: 'Ada' });
  db = newFirestore({ projectId: reckon.projectId });
});
afterAll(async () => { await db.terminate(); await reckon.close(); });

const retentionEvents = async (tenantId: string) => ((await ada.client.get(`/api/teams/${tenantId}/audit?limit=200`)).json.events as { action: string; actor: { uid: string }; details: Record<string, unknown> }[])
  .filter((e) => e.action === 'team.retention_changed');

describe('a team\'s retention setting', () => {
  it('is 365 days until an admin sets it, and every member sees it', async () => {
    const tenantId = await newTeam(ada, 'Keepers');
    const ben = await joined(reckon, ada, tenantId);
    expect((await ada.client.get(`/api/teams/${tenantId}`)).json.team.sessionRetentionDays).toBe(365);
    expect((await db.doc(`tenants/${tenantId}`).get()).get('sessionRetentionDays')).toBeUndefined();
    const res = await ada.client.patch(`/api/teams/${tenantId}`, { sessionRetentionDays: 90 });
    expect([res.status, res.json.team.sessionRetentionDays, res.json.team.name]).toEqual([200, 90, 'Keepers']);
    expect((await ben.client.get(`/api/teams/${tenantId}`)).json.team.sessionRetentionDays).toBe(90);
    expect((await db.doc(`tenants/${tenantId}`).get()).get('sessionRetentionDays')).toBe(90);
  });

  it('is audited with the old and new number of days, and an unchanged value writes nothing', async () => {
    const tenantId = await newTeam(ada, 'Audited');
    expect((await ada.client.patch(`/api/teams/${tenantId}`, { sessionRetentionDays: 30 })).status).toBe(200);
    const events = await retentionEvents(tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { uid: ada.user.uid }, details: { from: 365, to: 30 } });
    const before = await stateOf(reckon);
    const again = await ada.client.patch(`/api/teams/${tenantId}`, { sessionRetentionDays: 30 });
    expect([again.status, again.json.team.sessionRetentionDays]).toEqual([200, 30]);
    expect(await stateOf(reckon)).toBe(before);
  });

  it('accepts both ends of its range, 30 and 3650 days', async () => {
    const tenantId = await newTeam(ada, 'Edges');
    for (const days of [3650, 30]) expect((await ada.client.patch(`/api/teams/${tenantId}`, { sessionRetentionDays: days })).json.team.sessionRetentionDays).toBe(days);
  });

  it('changes with the name in one call, each change audited on its own', async () => {
    const tenantId = await newTeam(ada, 'Both');
    const res = await ada.client.patch(`/api/teams/${tenantId}`, { name: 'Both renamed', sessionRetentionDays: 730 });
    expect(res.json.team).toMatchObject({ name: 'Both renamed', sessionRetentionDays: 730 });
    const actions = ((await ada.client.get(`/api/teams/${tenantId}/audit`)).json.events as { action: string }[]).map((e) => e.action).sort();
    expect(actions).toEqual(['team.created', 'team.renamed', 'team.retention_changed']);
  });

  it('ends on one of the values sent when admins change it at once, with one audit event per write', async () => {
    const tenantId = await newTeam(ada, 'Burst');
    const values = [31, 45, 60, 90, 120, 180, 400, 800];
    const results = await Promise.all(values.map((d) => ada.client.patch(`/api/teams/${tenantId}`, { sessionRetentionDays: d })));
    expect(results.map((r) => r.status)).toEqual(values.map(() => 200));
    const stored = (await db.doc(`tenants/${tenantId}`).get()).get('sessionRetentionDays');
    expect(values).toContain(stored);
    expect((await ada.client.get(`/api/teams/${tenantId}`)).json.team.sessionRetentionDays).toBe(stored);
    const events = await retentionEvents(tenantId);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.length).toBeLessThanOrEqual(values.length);
    expect(values).toContain(events[0]!.details.to);
  });
});
