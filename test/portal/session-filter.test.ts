// Review of #17 (review17): the sessions list filtered by client finds the client's sessions
// however many newer sessions the team has (it took the newest 100 and filtered those).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { newSession } from '../support/rooms.js';
import { newClient, type Person } from './support.js';

let reckon: Reckon;
let admin: Person;
beforeAll(async () => { reckon = await startReckon(); admin = await registeredClient(reckon); });
afterAll(async () => { await reckon.close(); });

describe('the sessions list filtered by client', () => {
  it("lists the client's sessions even behind more than 100 newer sessions of the team", async () => {
    const tenantId = admin.tenant.tenantId;
    const clientId = await newClient(admin, tenantId, 'Old client');
    const old = await newSession(admin, { name: 'Old client sprint', clientId });
    // 120 newer sessions of the team, not of the client (closed ones, written as the store writes them).
    const db = newFirestore({ projectId: reckon.projectId });
    const model = (await db.doc(`sessions/${old.id}`).get()).data()!;
    const batch = db.batch();
    for (let n = 0; n < 120; n++) {
      const at = Timestamp.fromMillis(Date.now() + 60_000 + n * 1000);
      batch.create(db.collection('sessions').doc(`newer${n}`), { ...model, clientId: null, name: `Newer ${n}`, status: 'closed', joinCode: `NEWER${n}`, createdAt: at, updatedAt: at });
    }
    await batch.commit();
    await db.terminate();
    const res = await admin.client.get(`/api/sessions?tenantId=${tenantId}&clientId=${clientId}`);
    expect(res.status).toBe(200);
    expect(res.json.sessions.map((s: { id: string }) => s.id)).toEqual([old.id]);
  });
});
