// Creating, listing and reading sessions, and tenant isolation, over HTTP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';

let reckon: Reckon;
let alice: Awaited<ReturnType<typeof registeredClient>>;
let mallory: Awaited<ReturnType<typeof registeredClient>>;
beforeAll(async () => {
  reckon = await startReckon();
  alice = await registeredClient(reckon);
  mallory = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

const create = (who: typeof alice, body: object) => who.client.post('/api/sessions', { tenantId: who.tenant.tenantId, name: 'Sprint 42', deck: 'fibonacci', ...body });

describe('creating a session', () => {
  it('answers 201 with the session, its deck and a join code, and owns it to the caller', async () => {
    const res = await create(alice, {});
    expect(res.status).toBe(201);
    expect(res.json.session).toMatchObject({
      tenantId: alice.tenant.tenantId, name: 'Sprint 42', ownerUid: alice.user.uid, status: 'open', autoReveal: true,
      deck: { name: 'fibonacci', values: ['0', '1', '2', '3', '5', '8', '13', '21', '?', '☕'] }, currentIssueId: null, round: 0, revealed: false, clientId: null,
    });
    expect(res.json.session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(res.json.session.joinCode).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    const code = await newFirestore({ projectId: reckon.projectId }).doc(`joinCodes/${res.json.session.joinCode}`).get();
    expect(code.data()).toMatchObject({ tenantId: alice.tenant.tenantId, sessionId: res.json.session.id });
  });

  it.each([
    ['modified_fibonacci', '½'], ['tshirt', 'XL'], ['powers_of_two', '64'],
  ])('offers the %s deck', async (deck, card) => {
    const res = await create(alice, { deck });
    expect(res.status).toBe(201);
    expect(res.json.session.deck.values).toContain(card);
  });

  it('accepts a custom deck and can turn auto-reveal off', async () => {
    const res = await create(alice, { deck: { custom: [' S ', 'M', 'L'] }, autoReveal: false });
    expect(res.status).toBe(201);
    expect(res.json.session).toMatchObject({ deck: { name: 'custom', values: ['S', 'M', 'L'] }, autoReveal: false });
  });

  it('gives every session its own join code', async () => {
    const codes = await Promise.all(Array.from({ length: 10 }, async () => (await create(alice, {})).json.session.joinCode));
    expect(new Set(codes).size).toBe(10);
  });
});

describe('hostile session input', () => {
  it.each<[string, object, number]>([
    ['an unknown deck', { deck: 'fibonaccci' }, 400],
    ['a custom deck of one card', { deck: { custom: ['1'] } }, 400],
    ['a custom deck of 21 cards', { deck: { custom: Array.from({ length: 21 }, (_, i) => `c${i}`) } }, 400],
    ['a custom deck with a 9-character card', { deck: { custom: ['ninechars', 'ok'] } }, 400],
    ['a custom deck with repeated cards', { deck: { custom: ['1', '1'] } }, 400],
    ['an empty name', { name: '   ' }, 400],
    ['a 101-character name', { name: 'n'.repeat(101) }, 400],
    ['an extra ownerUid', { ownerUid: 'someone-else' }, 400],
    ['a tenantId with a path separator', { tenantId: 'a/b' }, 400],
    ['autoReveal as a string', { autoReveal: 'yes' }, 400],
    ['another tenant', { tenantId: 'not-my-tenant' }, 404],
    ['a client of no tenant', { clientId: 'no-such-client' }, 404],
  ])('refuses %s', async (_name, body, status) => {
    const res = await create(alice, body);
    expect(res.status).toBe(status);
  });

  it('refuses a client that belongs to another tenant', async () => {
    await newFirestore({ projectId: reckon.projectId }).doc('clients/mallorys-client').set({ tenantId: mallory.tenant.tenantId, name: 'M' });
    expect((await create(alice, { clientId: 'mallorys-client' })).status).toBe(404);
  });

  it('needs a signed-in user', async () => {
    const res = await new ApiClient(reckon).post('/api/sessions', { tenantId: alice.tenant.tenantId, name: 'x', deck: 'fibonacci' });
    expect(res.status).toBe(401);
  });
});

describe('listing and reading', () => {
  it("lists a tenant's sessions newest first", async () => {
    const team = await registeredClient(reckon);
    for (const name of ['first', 'second', 'third']) await create(team, { name });
    const res = await team.client.get(`/api/sessions?tenantId=${team.tenant.tenantId}`);
    expect(res.status).toBe(200);
    expect(res.json.sessions.map((s: { name: string }) => s.name)).toEqual(['third', 'second', 'first']);
  });

  it("answers 404 for another tenant's session list and session, as if they did not exist", async () => {
    const mine = (await create(alice, { name: 'private plans' })).json.session;
    const list = await mallory.client.get(`/api/sessions?tenantId=${alice.tenant.tenantId}`);
    const read = await mallory.client.get(`/api/sessions/${mine.id}`);
    const missing = await mallory.client.get('/api/sessions/does-not-exist');
    expect([list.status, read.status, missing.status]).toEqual([404, 404, 404]);
    expect(read.json.error).toEqual({ ...missing.json.error, requestId: read.json.error.requestId });
    expect(list.text + read.text).not.toContain('private plans');
  });

  it('reads one session for a member', async () => {
    const mine = (await create(alice, {})).json.session;
    const res = await alice.client.get(`/api/sessions/${mine.id}`);
    expect(res.status).toBe(200);
    expect(res.json.session).toEqual(mine);
  });

  it('refuses a list without a tenant and unknown query parameters', async () => {
    expect((await alice.client.get('/api/sessions')).status).toBe(400);
    expect((await alice.client.get(`/api/sessions?tenantId=${alice.tenant.tenantId}&admin=1`)).status).toBe(400);
  });
});
