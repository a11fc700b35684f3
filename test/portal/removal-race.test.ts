// Review of #17 (review17): removing a portal user while their decisions are in flight. No
// decision may commit after the removal did (an admin's 204 means the access has ended).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, newSession } from '../support/rooms.js';
import { newClient, portalUser, type Person } from './support.js';

let reckon: Reckon;
let admin: Person;
beforeAll(async () => { reckon = await startReckon(); admin = await registeredClient(reckon); });
afterAll(async () => { await reckon.close(); });

describe('a portal user removed while deciding', () => {
  it('has no decision committed after the removal committed, and every refused one answers 404', async () => {
    const clientId = await newClient(admin, admin.tenant.tenantId, 'Removed mid-flight');
    const s = await newSession(admin, { clientId });
    const issues = await addIssues(admin, s.id, Array.from({ length: 12 }, (_, n) => `Issue ${n}`));
    for (const issueId of issues) expect((await admin.client.post(`/api/sessions/${s.id}/finalize`, { issueId, estimate: '3' })).status).toBe(200);
    const db = newFirestore({ projectId: reckon.projectId });
    try {
      for (let round = 0; round < 4; round++) {
        const person = await portalUser(reckon, admin, clientId);
        const results = await Promise.all([
          ...issues.map((issueId) => person.client.post(`/api/portal/${clientId}/estimates/${s.id}/${issueId}/approval`, { decision: 'approved' })),
          new Promise((r) => setTimeout(r, round * 3)).then(() => admin.client.delete(`/api/portal/clients/${clientId}/users/${person.user.uid}`)),
        ]);
        expect(results.at(-1)!.status).toBe(204);
        expect(results.slice(0, -1).map((r) => r.status).filter((x) => x !== 200 && x !== 404 && x !== 409)).toEqual([]);
        const removal = (await db.collection('auditEvents').where('action', '==', 'portal_user.removed').where('target.id', '==', person.user.uid).get()).docs[0]!;
        const decisions = await db.collection('portalApprovals').where('uid', '==', person.user.uid).get();
        const late = decisions.docs.filter((d) => d.createTime.valueOf() > removal.createTime.valueOf());
        expect(late.map((d) => d.get('issueId')), `round ${round}`).toEqual([]);
      }
    } finally {
      await db.terminate();
    }
  }, 120_000);
});
