// The signed-in user's own data: me, export, erase.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';

let reckon: Reckon;
let db: ReturnType<typeof newFirestore>;
beforeAll(async () => { reckon = await startReckon(); db = newFirestore({ projectId: reckon.projectId }); });
afterAll(async () => { await reckon.close(); });

describe('me', () => {
  it('needs a session', async () => {
    const res = await new ApiClient(reckon).get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe('unauthenticated');
  });

  it('lists memberships with tenant names and portal access', async () => {
    const { client, user, tenant } = await registeredClient(reckon);
    await db.doc('tenants/agency-x').set({ name: 'Agency X' });
    await db.doc('clients/client1').set({ tenantId: 'agency-x', name: 'Client One', archived: false });
    await db.doc(`portalAccess/client1_${user.uid}`).set({ tenantId: 'agency-x', clientId: 'client1', uid: user.uid });
    const res = await client.get('/api/auth/me');
    expect(res.json).toEqual({
      user: { uid: user.uid, email: user.email, displayName: user.displayName, createdAt: expect.any(String) },
      memberships: [{ tenantId: tenant.tenantId, tenantName: tenant.name, role: 'admin' }],
      portal: [{ tenantId: 'agency-x', clientId: 'client1', clientName: 'Client One', teamName: 'Agency X' }],
    });
  });
});

describe('export', () => {
  it('returns every document about the user as a JSON download, without secrets', async () => {
    const { client, user, tenant, account } = await registeredClient(reckon);
    const res = await client.get('/api/auth/me/export');
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="reckon-account-export.json"');
    expect(res.json.user).toMatchObject({ uid: user.uid, email: account.email });
    expect(res.json.memberships).toEqual([expect.objectContaining({ tenantId: tenant.tenantId, role: 'admin', tenantName: tenant.name })]);
    expect(res.json.sessionsSignedIn).toHaveLength(1);
    expect(res.json.knownNetworks).toEqual([{ network: client.address, lastSignInAt: res.json.user.createdAt }]);
    expect(res.text).not.toMatch(/argon2|passwordHash|"hash"/);
  });
});

describe('erase', () => {
  it('refuses without the right password and changes nothing', async () => {
    const { client, user } = await registeredClient(reckon);
    const res = await client.delete('/api/auth/me', { password: 'not my password' });
    expect(res.status).toBe(401);
    expect((await db.doc(`users/${user.uid}`).get()).exists).toBe(true);
  });

  it('erases the account, its email key, tokens and the personal tenant it alone belonged to', async () => {
    const { client, user, tenant, account } = await registeredClient(reckon);
    await db.doc('sessions/s1').set({ tenantId: tenant.tenantId, name: 'Sprint 1' });
    await db.doc('sessions/s1/votes/v1').set({ tenantId: tenant.tenantId, value: 3 });
    const res = await client.delete('/api/auth/me', { password: account.password });
    expect(res.status).toBe(204);
    expect(res.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
    const gone = await db.getAll(db.doc(`users/${user.uid}`), db.doc(`userEmails/${account.email}`), db.doc(`tenants/${tenant.tenantId}`), db.doc(`memberships/${tenant.tenantId}_${user.uid}`), db.doc('sessions/s1'), db.doc('sessions/s1/votes/v1'));
    expect(gone.map((s) => s.exists)).toEqual([false, false, false, false, false, false]);
    expect((await db.collection('refreshTokens').where('uid', '==', user.uid).get()).size).toBe(0);
    // The email is free again and the old session is dead.
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(reckon).post('/api/auth/register', account)).status).toBe(201);
  });

  it('hands a shared tenant over to its longest-standing member when the only admin leaves', async () => {
    const owner = await registeredClient(reckon);
    const first = await registeredClient(reckon);
    const second = await registeredClient(reckon);
    const t = owner.tenant.tenantId;
    await db.doc(`memberships/${t}_${first.user.uid}`).set({ tenantId: t, uid: first.user.uid, role: 'member', createdAt: new Date(1000) });
    await db.doc(`memberships/${t}_${second.user.uid}`).set({ tenantId: t, uid: second.user.uid, role: 'member', createdAt: new Date(2000) });
    expect((await owner.client.delete('/api/auth/me', { password: owner.account.password })).status).toBe(204);
    expect((await db.doc(`tenants/${t}`).get()).exists).toBe(true);
    expect((await db.doc(`memberships/${t}_${first.user.uid}`).get()).get('role')).toBe('admin');
    expect((await db.doc(`memberships/${t}_${second.user.uid}`).get()).get('role')).toBe('member');
    expect((await db.doc(`memberships/${t}_${owner.user.uid}`).get()).exists).toBe(false);
  });
});
