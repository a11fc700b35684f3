// Review of #17 (review17): what a race or a later change must not do to the portal. A session
// moved to another client shows that client nothing of the first client's decisions; a revoke
// and a redeem of one link never both take effect.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, newSession, poll } from '../support/rooms.js';
import { newClient, newLink, portalUser, redeem, type Person } from './support.js';

let reckon: Reckon;
let admin: Person;
beforeAll(async () => { reckon = await startReckon(); admin = await registeredClient(reckon); });
afterAll(async () => { await reckon.close(); });

describe('a session moved to another client', () => {
  it("shows the new client none of the first client's decisions: no name, no comment, and the estimate awaits its own decision", async () => {
    const x = await newClient(admin, admin.tenant.tenantId, 'Xenon');
    const y = await newClient(admin, admin.tenant.tenantId, 'Yttrium');
    const s = await newSession(admin, { clientId: x });
    const [issue] = await addIssues(admin, s.id, ['Checkout']) as [string];
    expect((await admin.client.post(`/api/sessions/${s.id}/finalize`, { issueId: issue, estimate: '5' })).status).toBe(200);
    const [px, py] = await Promise.all([portalUser(reckon, admin, x), portalUser(reckon, admin, y)]);
    expect((await px.client.post(`/api/portal/${x}/estimates/${s.id}/${issue}/approval`, { decision: 'declined', comment: 'Xenon budget is 3' })).status).toBe(200);
    expect((await admin.client.patch(`/api/sessions/${s.id}`, { clientId: y })).status).toBe(200);

    const seen = await py.client.get(`/api/portal/${y}/estimates`);
    expect(seen.status).toBe(200);
    expect(seen.json.estimates).toHaveLength(1);
    expect(seen.json.estimates[0].approval).toBeNull();
    for (const secret of ['Xenon budget', px.user.displayName, 'declined']) expect(seen.text).not.toContain(secret);
    expect((await py.client.get(`/api/portal/${y}/estimates?status=pending`)).json.estimates).toHaveLength(1);
    expect((await py.client.get(`/api/portal/${y}/estimates?status=declined`)).json.estimates).toHaveLength(0);

    // Its own decision shows; moved back, the first client sees its own again, never the other's.
    expect((await py.client.post(`/api/portal/${y}/estimates/${s.id}/${issue}/approval`, { decision: 'approved', comment: 'Yttrium says yes' })).status).toBe(200);
    expect((await py.client.get(`/api/portal/${y}/estimates?status=approved`)).json.estimates).toHaveLength(1);
    expect((await admin.client.patch(`/api/sessions/${s.id}`, { clientId: x })).status).toBe(200);
    const back = await px.client.get(`/api/portal/${x}/estimates`);
    expect(back.json.estimates[0].approval).toBeNull();
    expect(back.text).not.toContain('Yttrium');
    // The team still sees the latest decision in the room.
    expect((await poll(admin.client, s.id)).json.issues[0].approval).toMatchObject({ decision: 'approved', by: { displayName: py.user.displayName } });
  });
});

describe('a portal link revoked while it is being redeemed', () => {
  it('is either revoked or redeemed, never both: a redeem that wins gives access and the revoke is refused, a revoke that wins leaves no access', async () => {
    const clientId = await newClient(admin, admin.tenant.tenantId, 'Racing');
    const outcomes: string[] = [];
    for (let n = 0; n < 10; n++) {
      const link = await newLink(admin, clientId);
      const person = await registeredClient(reckon);
      const [revoked, redeemed] = await Promise.all([admin.client.delete(`/api/portal/clients/${clientId}/links/${link.id}`), redeem(person, link.token)]);
      outcomes.push(`${revoked.status}/${redeemed.status}`);
      const listed = (await admin.client.get(`/api/portal/clients/${clientId}/links`)).json.links.find((l: { id: string }) => l.id === link.id);
      const hasAccess = (await person.client.get('/api/portal/access')).json.access.length === 1;
      if (redeemed.status === 200) {
        expect({ revoke: revoked.status, status: listed.status, usedBy: listed.usedBy?.uid, revokedAt: listed.revokedAt, hasAccess }).toEqual({ revoke: 409, status: 'used', usedBy: person.user.uid, revokedAt: null, hasAccess: true });
      } else {
        expect({ revoke: revoked.status, redeem: redeemed.status, status: listed.status, usedBy: listed.usedBy, hasAccess }).toEqual({ revoke: 204, redeem: 404, status: 'revoked', usedBy: null, hasAccess: false });
      }
    }
    expect(outcomes.length).toBe(10);
  }, 120_000);

  it('a used link is not revoked afterwards: 409, and it stays listed as used by who redeemed it', async () => {
    const clientId = await newClient(admin, admin.tenant.tenantId, 'Used once');
    const link = await newLink(admin, clientId);
    const person = await registeredClient(reckon);
    expect((await redeem(person, link.token)).status).toBe(200);
    const res = await admin.client.delete(`/api/portal/clients/${clientId}/links/${link.id}`);
    expect({ status: res.status, code: res.json?.error?.code }).toEqual({ status: 409, code: 'conflict' });
    const listed = (await admin.client.get(`/api/portal/clients/${clientId}/links`)).json.links[0];
    expect(listed).toMatchObject({ status: 'used', usedBy: { uid: person.user.uid }, revokedAt: null });
  });
});
