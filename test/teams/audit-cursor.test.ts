// The audit log's `before` cursor comes back from the browser, so it is input like any other: a
// forged one answers 400 (not a 500 from a time Firestore cannot hold), and another team's cursor
// shows nothing of that team.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newTeam, refusedWithoutChange, type Person } from './support.js';

let reckon: Reckon;
let ada: Person;
beforeAll(async () => {
  reckon = await startReckon();
  ada = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

describe('the audit log cursor', () => {
  it('answers 400 for a cursor whose time is beyond what Firestore can hold', async () => {
    const tenantId = await newTeam(ada, 'Cursor');
    for (const before of ['999999999999999.x', '253402300800000.x']) {
      await refusedWithoutChange(reckon, () => ada.client.get(`/api/teams/${tenantId}/audit?before=${before}`), 400, 'invalid_request');
    }
  });

  it('accepts the latest time Firestore holds, and pages from it', async () => {
    const tenantId = await newTeam(ada, 'Far future');
    const res = await ada.client.get(`/api/teams/${tenantId}/audit?before=253402300799999.zzz`);
    expect(res.status).toBe(200);
    expect(res.json.events.map((e: { action: string }) => e.action)).toEqual(['team.created']);
  });

  it("shows nothing of another team when handed that team's cursor", async () => {
    const [mine, bob] = [await newTeam(ada, 'Mine'), await registeredClient(reckon)];
    const theirs = await newTeam(bob, 'Theirs');
    await bob.client.patch(`/api/teams/${theirs}`, { name: 'Theirs renamed' });
    const next = (await bob.client.get(`/api/teams/${theirs}/audit?limit=1`)).json.next as string;
    const res = await ada.client.get(`/api/teams/${mine}/audit?before=${encodeURIComponent(next)}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).not.toContain(theirs);
  });
});
