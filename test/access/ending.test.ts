// Sessions that end (ASVS 7.4.1): after logout, a password change, erase, a refresh family's
// revocation, removal from a team or a role change, the old cookie is refused at once on the
// instance that made the change (here: the one process every function runs in), and within
// EPOCH_CACHE_MS (< 60 s) on any other, checked with a clock the test controls.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { FieldValue } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, changeMembership, guest, newSession, poll, startRound, teammate, vote, type Person } from '../support/rooms.js';
import { getConfig } from '../../shared/config/config.js';
import { endingKeyOf } from '../../shared/store/users.js';
import { readSessionCookie } from '../../shared/http/cookies.js';
import { identifyCaller } from '../../shared/access/caller.js';
import { ENDINGS_FEED_MS, EPOCH_CACHE_MS } from '../../shared/access/epochs.js';

let reckon: Reckon;
beforeAll(async () => { reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' }); });
afterAll(async () => { await reckon.close(); });

/** A second browser holding a copy of the same cookie (what a thief or a forgotten tab has). */
function copyOf(client: ApiClient): ApiClient {
  const copy = new ApiClient(reckon);
  copy.cookie = client.cookie;
  return copy;
}

async function signedInElsewhere(person: Person): Promise<ApiClient> {
  const other = new ApiClient(reckon);
  expect((await other.post('/api/auth/login', { email: person.account.email, password: person.account.password })).status).toBe(200);
  return other;
}

const code = (res: { status: number; json: any }) => [res.status, res.json?.error?.code];


describe('sessions that end', () => {
  it('refuses a copy of the cookie at once after logout, on every kind of route', async () => {
    const ada = await registeredClient(reckon);
    const session = await newSession(ada);
    const copy = copyOf(ada.client);
    expect((await copy.get('/api/auth/me')).status).toBe(200);
    expect((await ada.client.post('/api/auth/logout')).status).toBe(204);
    expect(code(await copy.get('/api/auth/me'))).toEqual([401, 'token_expired']);
    expect(code(await copy.post('/api/sessions', { tenantId: ada.tenant.tenantId, name: 'x', deck: 'tshirt' }))).toEqual([401, 'token_expired']);
    expect(code(await poll(copy, session.id))).toEqual([401, 'token_expired']);
    expect(code(await copy.post('/api/auth/refresh'))).toEqual([401, 'unauthenticated']);
  });

  it('ends every other browser of the user at logout too, but lets them refresh into a new token', async () => {
    const ada = await registeredClient(reckon);
    const laptop = await signedInElsewhere(ada);
    await ada.client.post('/api/auth/logout');
    expect(code(await laptop.get('/api/auth/me'))).toEqual([401, 'token_expired']);
    expect((await laptop.post('/api/auth/refresh')).status).toBe(200);
    expect((await laptop.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses the old cookie at once after a password change, and signs other browsers out for good', async () => {
    const ada = await registeredClient(reckon);
    const laptop = await signedInElsewhere(ada);
    const before = copyOf(ada.client);
    const res = await ada.client.post('/api/auth/password', { currentPassword: ada.account.password, newPassword: 'a brand new passphrase' });
    expect(res.status).toBe(204);
    expect((await ada.client.get('/api/auth/me')).status).toBe(200);
    for (const old of [before, laptop]) {
      expect(code(await old.get('/api/auth/me'))).toEqual([401, 'token_expired']);
      expect(code(await old.post('/api/auth/refresh'))).toEqual([401, 'unauthenticated']);
    }
  });

  it('refuses an erased user\'s cookie at once: no vote, no participant record written', async () => {
    const owner = await registeredClient(reckon);
    const session = await newSession(owner);
    const [issueId] = await addIssues(owner, session.id, ['One']);
    const round = await startRound(owner, session.id, issueId!);
    const bo = await teammate(reckon, owner);
    expect((await bo.client.post(`/api/sessions/${session.id}/join`, { role: 'voter' })).status).toBe(201);
    const copy = copyOf(bo.client);
    const db = newFirestore({ projectId: reckon.projectId });
    const participants = async () => (await db.collection(`sessions/${session.id}/participants`).get()).docs.map((d) => `${d.id} ${d.updateTime.toMillis()}`).sort();
    const votes = async () => (await db.collection(`sessions/${session.id}/votes`).get()).size;
    expect((await bo.client.delete('/api/auth/me', { password: bo.account.password })).status).toBe(204);
    const [participantsBefore, votesBefore] = [await participants(), await votes()];
    expect(code(await copy.get('/api/auth/me'))).toEqual([401, 'unauthenticated']);
    expect(code(await vote(copy, session.id, issueId!, round, '3'))).toEqual([401, 'unauthenticated']);
    expect(code(await copy.post(`/api/sessions/${session.id}/join`, { role: 'voter' }))).toEqual([401, 'unauthenticated']);
    expect([await participants(), await votes()]).toEqual([participantsBefore, votesBefore]);
    await db.terminate();
  });

  it('refuses the victim\'s access token at once when a replayed refresh token revokes the family', async () => {
    const ada = await registeredClient(reckon);
    const attacker = copyOf(ada.client);
    expect((await ada.client.post('/api/auth/refresh')).status).toBe(200);
    expect((await ada.client.get('/api/auth/me')).status).toBe(200);
    expect((await attacker.post('/api/auth/refresh')).status).toBe(401); // reuse: the family is revoked
    expect(code(await ada.client.get('/api/auth/me'))).toEqual([401, 'token_expired']);
    expect((await ada.client.post('/api/auth/refresh')).status).toBe(401);
  });

  it('stops a removed member\'s open room at once: the poll asks to refresh, and the refreshed token has no team', async () => {
    const owner = await registeredClient(reckon);
    const session = await newSession(owner);
    const bo = await teammate(reckon, owner);
    expect((await poll(bo.client, session.id)).status).toBe(200);
    await changeMembership(owner.tenant.tenantId, bo.user.uid, 'remove');
    expect(code(await poll(bo.client, session.id))).toEqual([401, 'token_expired']);
    expect((await bo.client.post('/api/auth/refresh')).status).toBe(200);
    expect(code(await poll(bo.client, session.id))).toEqual([404, 'not_found']);
    expect(code(await bo.client.get(`/api/sessions?tenantId=${owner.tenant.tenantId}`))).toEqual([404, 'not_found']);
  });

  it('takes moderation from a demoted admin at once', async () => {
    const owner = await registeredClient(reckon);
    const session = await newSession(owner);
    const [issueId] = await addIssues(owner, session.id, ['One']);
    const cy = await teammate(reckon, owner, 'admin');
    expect((await cy.client.post(`/api/sessions/${session.id}/current`, { issueId })).status).toBe(200);
    await changeMembership(owner.tenant.tenantId, cy.user.uid, { role: 'member' });
    expect(code(await cy.client.post(`/api/sessions/${session.id}/reveal`, {}))).toEqual([401, 'token_expired']);
    expect((await cy.client.post('/api/auth/refresh')).status).toBe(200);
    expect(code(await cy.client.post(`/api/sessions/${session.id}/reveal`, {}))).toEqual([403, 'forbidden']);
    expect((await poll(cy.client, session.id)).json.me.canModerate).toBe(false);
  });

  it('leaves guests alone when a member\'s tokens end', async () => {
    const owner = await registeredClient(reckon);
    const session = await newSession(owner);
    const ann = await guest(reckon, session.joinCode, 'Ann');
    await owner.client.post('/api/auth/logout');
    expect((await poll(ann.client, session.id)).status).toBe(200);
  });
});

describe('another instance', () => {
  it(`refuses an ended token within ${ENDINGS_FEED_MS / 1000} s (< 60 s), reading only the endings feed meanwhile`, async () => {
    expect(ENDINGS_FEED_MS).toBeLessThan(60_000);
    const owner = await registeredClient(reckon);
    const bo = await teammate(reckon, owner);
    const cookie = readSessionCookie(bo.client.cookie);
    // Past anything this instance has read so far, so both Bo's epoch and the feed are read at t0.
    const t0 = Date.now() + EPOCH_CACHE_MS + 1000;
    const asSeenAt = (t: number) => identifyCaller(cookie, getConfig(), t);
    expect((await asSeenAt(t0)).principal?.uid).toBe(bo.user.uid);
    // Another instance removes Bo, as endAccessTokensIn writes it: this one is not told.
    const elsewhere = newFirestore({ projectId: reckon.projectId });
    const batch = elsewhere.batch();
    batch.delete(elsewhere.doc(`memberships/${owner.tenant.tenantId}_${bo.user.uid}`));
    batch.update(elsewhere.doc(`users/${bo.user.uid}`), { accessEpoch: FieldValue.increment(1) });
    batch.create(elsewhere.collection('accessEndings').doc(), { user: endingKeyOf(bo.user.uid), at: FieldValue.serverTimestamp(), expiresAt: new Date(Date.now() + 86_400_000) });
    await batch.commit();
    await elsewhere.terminate();
    // Until the feed is due this instance keeps what it read (that is what keeps polls cheap)…
    expect((await asSeenAt(t0 + ENDINGS_FEED_MS - 1)).principal?.uid).toBe(bo.user.uid);
    // …then the feed names Bo, his epoch is read again, and the old token is refused.
    expect(await asSeenAt(t0 + ENDINGS_FEED_MS)).toMatchObject({ principal: undefined, userTokenExpired: true });
  });

  it('records every ending in the feed: logout, password change, erase', async () => {
    const db = newFirestore({ projectId: reckon.projectId });
    const endingsOf = async (uid: string) => (await db.collection('accessEndings').where('user', '==', endingKeyOf(uid)).get()).size;
    const ada = await registeredClient(reckon);
    await ada.client.post('/api/auth/logout');
    expect(await endingsOf(ada.user.uid)).toBe(1);
    const bo = await registeredClient(reckon);
    await bo.client.post('/api/auth/password', { currentPassword: bo.account.password, newPassword: 'another good passphrase' });
    expect(await endingsOf(bo.user.uid)).toBe(1);
    await bo.client.delete('/api/auth/me', { password: 'another good passphrase' });
    expect(await endingsOf(bo.user.uid)).toBe(2);
    await db.terminate();
  });
});
