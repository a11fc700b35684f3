// Vote privacy before the reveal, tenant isolation, and hostile input to every room endpoint.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type Reckon, type ApiResponse } from '../support/reckon.js';
import { addIssues, guest, newSession, poll, startRound, teammate, vote, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
let mallory: Person;
beforeAll(async () => {
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon);
  mallory = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

describe('vote privacy before the reveal', () => {
  it('never sends anyone another participant\'s card or note, on any endpoint they can call', async () => {
    const s = await newSession(owner, { deck: { custom: ['annsCard', 'bobsCard', 'other'] }, autoReveal: false });
    const [issueId] = await addIssues(owner, s.id, ['Secret']);
    const mate = await teammate(reckon, owner);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    const bob = await guest(reckon, s.joinCode, 'Bob');
    await owner.client.post(`/api/sessions/${s.id}/join`, { role: 'spectator' });
    await mate.client.post(`/api/sessions/${s.id}/join`);
    await startRound(owner, s.id, issueId!);
    const seenBy = new Map<string, ApiResponse[]>([['ann', []], ['bob', []], ['owner', []], ['mate', []]]);
    seenBy.get('ann')!.push(await ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: 'annsCard', note: 'annsNote' }));
    seenBy.get('bob')!.push(await bob.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: 'bobsCard', note: 'bobsNote' }));
    const everyone = { ann: ann.client, bob: bob.client, owner: owner.client, mate: mate.client };
    for (const [name, client] of Object.entries(everyone)) {
      const out = seenBy.get(name)!;
      out.push(await poll(client, s.id));
      out.push(await client.get(`/api/votes/${s.id}/mine`));
      out.push(await client.post(`/api/sessions/${s.id}/join`));
      out.push(await client.get(`/api/sessions/${s.id}`));
      out.push(await client.get(`/api/sessions?tenantId=${owner.tenant.tenantId}`));
      out.push(await client.get(`/api/sessions/${s.id}/results.csv`));
      out.push(await client.post('/api/auth/guest', { joinCode: s.joinCode, displayName: name }));
      out.push(await client.get(`/api/ai/sessions/${s.id}/issues/${issueId}/summary`));
      out.push(await client.get(`/api/ai/sessions/${s.id}/issues/${issueId}/suggestion`));
      out.push(await client.post(`/api/ai/sessions/${s.id}/issues/${issueId}/summary`));
      out.push(await client.post(`/api/ai/sessions/${s.id}/summary`));
    }
    seenBy.get('owner')!.push(await owner.client.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 'Next' }] }));
    seenBy.get('owner')!.push(await owner.client.post(`/api/sessions/${s.id}/finalize`, { issueId, estimate: 'other' }));
    // Every response that carries the deck names every card; look everywhere but the deck.
    const withoutDeck = (t: string) => t.replace(/"deck":\{"name":"custom","values":\[[^\]]*\]\}/g, '"deck":"…"');
    const text = (name: string) => seenBy.get(name)!.map((r) => withoutDeck(r.text)).join('\n');
    expect(text('ann')).toContain('annsCard'); // their own card comes back to them
    expect(text('ann')).toContain('annsNote'); // and their own note
    expect(text('ann')).not.toMatch(/bobsCard|bobsNote/);
    expect(text('bob')).not.toMatch(/annsCard|annsNote/);
    for (const name of ['owner', 'mate']) expect(text(name)).not.toMatch(/annsCard|bobsCard|annsNote|bobsNote/);
    expect(seenBy.get('owner')!.map((r) => r.text).join('')).toContain('"values":["annsCard","bobsCard","other"]');
    await owner.client.post(`/api/sessions/${s.id}/reveal`);
    expect((await poll(mate.client, s.id)).json.votes.map((v: { value: string; note: string }) => `${v.value} ${v.note}`).sort()).toEqual(['annsCard annsNote', 'bobsCard bobsNote']);
  });
});

describe('tenant isolation', () => {
  let s: { id: string; joinCode: string };
  let issueId: string;
  let ann: Awaited<ReturnType<typeof guest>>;
  beforeAll(async () => {
    s = await newSession(owner);
    [issueId] = (await addIssues(owner, s.id, ['Ours'])) as [string];
    ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, issueId);
  });

  it.each<[string, (c: ApiClient) => Promise<ApiResponse>]>([
    ['the poll', (c) => poll(c, s.id)],
    ['reading the session', (c) => c.get(`/api/sessions/${s.id}`)],
    ['joining', (c) => c.post(`/api/sessions/${s.id}/join`)],
    ['voting', (c) => vote(c, s.id, issueId, 1, '3')],
    ['retracting', (c) => c.delete(`/api/votes/${s.id}?issueId=${issueId}&round=1`)],
    ['reading my vote', (c) => c.get(`/api/votes/${s.id}/mine`)],
    ['adding issues', (c) => c.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 'x' }] })],
    ['editing an issue', (c) => c.patch(`/api/sessions/${s.id}/issues/${issueId}`, { title: 'x' })],
    ['deleting an issue', (c) => c.delete(`/api/sessions/${s.id}/issues/${issueId}`)],
    ['revealing', (c) => c.post(`/api/sessions/${s.id}/reveal`)],
    ['finalizing', (c) => c.post(`/api/sessions/${s.id}/finalize`, { issueId, estimate: '1' })],
    ['closing', (c) => c.post(`/api/sessions/${s.id}/close`)],
    ['the results export', (c) => c.get(`/api/sessions/${s.id}/results.csv`)],
  ])('answers another team 404 for %s, exactly as for a missing session', async (_name, call) => {
    const res = await call(mallory.client);
    expect([res.status, res.json?.error.code]).toEqual([404, 'not_found']);
    expect((await poll(owner.client, s.id)).json).toMatchObject({ session: { status: 'open' }, currentIssue: { id: issueId }, revealed: false });
  });

  it('answers 404 for an issue id of another session, even to the moderator', async () => {
    const other = await newSession(mallory);
    const [theirs] = await addIssues(mallory, other.id, ['Theirs']);
    for (const res of [
      await owner.client.patch(`/api/sessions/${s.id}/issues/${theirs}`, { title: 'x' }),
      await owner.client.post(`/api/sessions/${s.id}/current`, { issueId: theirs }),
      await owner.client.post(`/api/sessions/${s.id}/finalize`, { issueId: theirs, estimate: '1' }),
    ]) expect(res.status).toBe(404);
    expect((await poll(mallory.client, other.id)).json.issues[0]).toMatchObject({ title: 'Theirs', finalEstimate: null });
  });

  it('keeps a guest to their one session: another session of the same team answers 404', async () => {
    const sibling = await newSession(owner);
    expect((await poll(ann.client, sibling.id)).status).toBe(404);
    expect((await ann.client.get(`/api/sessions?tenantId=${owner.tenant.tenantId}`)).status).toBe(401);
    expect((await ann.client.post('/api/sessions', { tenantId: owner.tenant.tenantId, name: 'x', deck: 'tshirt' })).status).toBe(401);
  });
});

describe('hostile input to the room', () => {
  let s: { id: string; joinCode: string };
  let issueId: string;
  let ann: Awaited<ReturnType<typeof guest>>;
  beforeAll(async () => {
    s = await newSession(owner);
    [issueId] = (await addIssues(owner, s.id, ['Target'])) as [string];
    ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, issueId);
  });

  const cases: [string, () => Promise<ApiResponse>, number][] = [
    ['a vote with an extra field', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: '3', participantId: 'someone-else' }), 400],
    ['a vote with a numeric value', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: 3 }), 400],
    ['a vote for round 0', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 0, value: '3' }), 400],
    ['a vote for round 1.5', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1.5, value: '3' }), 400],
    ['a vote with a 10 kB value', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: 'x'.repeat(10_000) }), 400],
    ['a vote with __proto__', () => ann.client.put(`/api/votes/${s.id}`, undefined, { rawBody: `{"issueId":"${issueId}","round":1,"value":"3","__proto__":{"admin":true}}` }), 400],
    ['a session id with a slash', () => ann.client.put(`/api/votes/${encodeURIComponent(`${s.id}/../x`)}`, { issueId, round: 1, value: '3' }), 400],
    ['a vote sent as a form', () => ann.client.put(`/api/votes/${s.id}`, undefined, { rawBody: 'issueId=x&round=1&value=3', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    ['a vote from another site', () => ann.client.put(`/api/votes/${s.id}`, { issueId, round: 1, value: '3' }, { headers: { origin: 'https://evil.example' } }), 403],
    ['a retraction without a round', () => ann.client.delete(`/api/votes/${s.id}?issueId=${issueId}`), 400],
    ['a guest join with a control character in the name', () => new ApiClient(reckon).post('/api/auth/guest', { joinCode: s.joinCode, displayName: 'Ann\u0007' }), 400],
    ['a guest join with a 61-character name (the one display-name rule: 1–60)', () => new ApiClient(reckon).post('/api/auth/guest', { joinCode: s.joinCode, displayName: 'n'.repeat(61) }), 400],
    ['a guest join with a code of look-alikes', () => new ApiClient(reckon).post('/api/auth/guest', { joinCode: 'O0I1L5S2', displayName: 'Ann' }), 404],
    ['a guest join with a role of moderator', () => new ApiClient(reckon).post('/api/auth/guest', { joinCode: s.joinCode, displayName: 'Ann', role: 'moderator' }), 400],
    ['a forged guest cookie', async () => { const c = new ApiClient(reckon); c.cookie = `__session=g:${ann.client.cookie!.split('g:')[1]!.slice(0, -4)}AAAA`; return poll(c, s.id); }, 401],
    ['a user token passed off as a guest token', async () => { const c = new ApiClient(reckon); c.cookie = `__session=g:${owner.client.cookie!.split('=')[1]!.split('~')[0]}`; return poll(c, s.id); }, 401],
    ['200 issues plus one', () => owner.client.post(`/api/sessions/${s.id}/issues`, { issues: Array.from({ length: 201 }, () => ({ title: 't' })) }), 400],
    ['an issue with both issues and text', () => owner.client.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 't' }], text: 'u' }), 400],
    ['an empty edit', () => owner.client.patch(`/api/sessions/${s.id}/issues/${issueId}`, {}), 400],
    ['a 17-character final estimate', () => owner.client.post(`/api/sessions/${s.id}/finalize`, { issueId, estimate: 'e'.repeat(17) }), 400],
    ['a join as the owner\'s role', () => ann.client.post(`/api/sessions/${s.id}/join`, { role: 'admin' }), 400],
    ['a reveal with a round as a string', () => owner.client.post(`/api/sessions/${s.id}/reveal`, { round: '1' }), 400],
  ];

  it.each(cases)('refuses %s and changes nothing', async (_name, call, status) => {
    const before = (await poll(owner.client, s.id)).json;
    const res = await call();
    expect(res.status).toBe(status);
    if (res.json) expect(res.json.error.code).toMatch(/^[a-z_]+$/);
    const after = (await poll(owner.client, s.id)).json;
    expect({ ...after, version: undefined, serverTime: undefined }).toEqual({ ...before, version: undefined, serverTime: undefined });
  });
});
