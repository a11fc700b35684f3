// An invite link carries its maker's authority: once the maker is no longer an admin of the team
// (removed, demoted, left), their links stop working. Otherwise a removed admin could come
// straight back, as admin, through a link they made before removal (found by review2).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { accept, joined, newInvite, newTeam, refusedWithoutChange, type Person } from './support.js';

let reckon: Reckon;
let ada: Person;
beforeAll(async () => {
  reckon = await startReckon();
  ada = await registeredClient(reckon, { displayName: 'Ada' });
});
afterAll(async () => { await reckon.close(); });

const statusesOf = async (admin: Person, tenantId: string) =>
  Object.fromEntries(((await admin.client.get(`/api/teams/${tenantId}/invites`)).json.invites as { id: string; status: string }[]).map((i) => [i.id, i.status]));

describe('invite links of an admin who is no longer one', () => {
  it('do not let a removed admin back in, and show as revoked', async () => {
    const tenantId = await newTeam(ada, 'Removal');
    const max = await joined(reckon, ada, tenantId, 'admin');
    const own = await newInvite(max, tenantId, { role: 'admin', maxUses: 5, expiresInDays: 14 });
    expect((await ada.client.delete(`/api/teams/${tenantId}/members/${max.user.uid}`)).status).toBe(204);
    await max.client.post('/api/auth/refresh');
    await refusedWithoutChange(reckon, () => max.client.post('/api/teams/invites/accept', { token: own.token }), 404, 'not_found');
    expect((await statusesOf(ada, tenantId))[own.id]).toBe('revoked');
  });

  it('stop working for anyone once their maker is demoted', async () => {
    const tenantId = await newTeam(ada, 'Demotion');
    const max = await joined(reckon, ada, tenantId, 'admin');
    const link = await newInvite(max, tenantId, { role: 'member', maxUses: 5 });
    expect((await ada.client.patch(`/api/teams/${tenantId}/members/${max.user.uid}`, { role: 'member' })).status).toBe(200);
    const newcomer = await registeredClient(reckon);
    await refusedWithoutChange(reckon, () => newcomer.client.post('/api/teams/invites/accept', { token: link.token }), 404, 'not_found');
    expect((await statusesOf(ada, tenantId))[link.id]).toBe('revoked');
  });

  it('stop working when the maker left the team, even before the link was marked revoked', async () => {
    const tenantId = await newTeam(ada, 'Left');
    const max = await joined(reckon, ada, tenantId, 'admin');
    const link = await newInvite(max, tenantId, { maxUses: 5 });
    // The maker's membership goes without the revocation that follows it (a crash in between, or
    // an invite made while its maker was being demoted): accept itself must refuse the link.
    const db = newFirestore({ projectId: reckon.projectId });
    await db.doc(`memberships/${tenantId}_${max.user.uid}`).delete();
    await db.terminate();
    const newcomer = await registeredClient(reckon);
    await refusedWithoutChange(reckon, () => newcomer.client.post('/api/teams/invites/accept', { token: link.token }), 404, 'not_found');
  });

  it('keep working while the maker is still an admin', async () => {
    const tenantId = await newTeam(ada, 'Kept');
    const max = await joined(reckon, ada, tenantId, 'admin');
    const link = await newInvite(max, tenantId, { maxUses: 5 });
    const other = await joined(reckon, ada, tenantId, 'admin');
    expect((await ada.client.delete(`/api/teams/${tenantId}/members/${other.user.uid}`)).status).toBe(204);
    expect((await accept(await registeredClient(reckon), link.token)).status).toBe(200);
  });
});
