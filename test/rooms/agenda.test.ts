// The agenda of a session: adding issues one by one or as a pasted list, editing, deleting,
// reordering, and the results export.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, poll, startRound, vote, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

const titles = async (sessionId: string) => (await poll(owner.client, sessionId)).json.issues.map((i: { title: string }) => i.title);

describe('adding issues', () => {
  it('adds issues in order, with descriptions shown for the current one', async () => {
    const s = await newSession(owner);
    const res = await owner.client.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 'Login', description: 'With SSO' }, { title: 'Search' }] });
    expect(res.status).toBe(201);
    expect(res.json.issues).toEqual([
      expect.objectContaining({ title: 'Login', description: 'With SSO', order: 0, rounds: 0, finalEstimate: null }),
      expect.objectContaining({ title: 'Search', description: '', order: 1 }),
    ]);
    await startRound(owner, s.id, res.json.issues[0].id);
    expect((await poll(owner.client, s.id)).json.currentIssue).toMatchObject({ title: 'Login', description: 'With SSO' });
  });

  it('turns a pasted list into one issue per line, without bullets, numbers or blank lines', async () => {
    const s = await newSession(owner);
    await addIssues(owner, s.id, ['First']);
    const res = await owner.client.post(`/api/sessions/${s.id}/issues`, { text: '- Checkout\r\n\n  2. Refunds  \n* [ ] PROJ-12 Invoices\n• Tax rules\n' });
    expect(res.status).toBe(201);
    expect(await titles(s.id)).toEqual(['First', 'Checkout', 'Refunds', 'PROJ-12 Invoices', 'Tax rules']);
  });

  it('says which pasted line is too long and adds none of them', async () => {
    const s = await newSession(owner);
    const res = await owner.client.post(`/api/sessions/${s.id}/issues`, { text: `ok\n${'x'.repeat(201)}` });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('Line 2 is longer than 200 characters.');
    expect(await titles(s.id)).toEqual([]);
  });

  it('caps a session at 400 issues', async () => {
    const s = await newSession(owner);
    const lines = (n: number, from: number) => Array.from({ length: n }, (_, i) => `Issue ${from + i}`).join('\n');
    expect((await owner.client.post(`/api/sessions/${s.id}/issues`, { text: lines(200, 0) })).status).toBe(201);
    expect((await owner.client.post(`/api/sessions/${s.id}/issues`, { text: lines(200, 200) })).status).toBe(201);
    const over = await owner.client.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 'one more' }] });
    expect([over.status, over.json.error.code]).toEqual([409, 'limit_reached']);
  });
});

describe('editing the agenda', () => {
  it('edits a title and a description', async () => {
    const s = await newSession(owner);
    const [id] = await addIssues(owner, s.id, ['Logn']);
    const res = await owner.client.patch(`/api/sessions/${s.id}/issues/${id}`, { title: 'Login', description: 'Fixed typo' });
    expect(res.json.issue).toMatchObject({ id, title: 'Login', description: 'Fixed typo' });
    expect(await titles(s.id)).toEqual(['Login']);
  });

  it('deletes an issue, and a deleted current issue ends the round', async () => {
    const s = await newSession(owner);
    const [a, b] = await addIssues(owner, s.id, ['A', 'B']);
    await startRound(owner, s.id, a!);
    expect((await owner.client.delete(`/api/sessions/${s.id}/issues/${a}`)).status).toBe(204);
    const state = await poll(owner.client, s.id);
    expect(state.json).toMatchObject({ currentIssue: null, round: 0, issues: [{ id: b, title: 'B' }] });
    expect((await owner.client.delete(`/api/sessions/${s.id}/issues/${a}`)).status).toBe(404);
  });

  it('reorders the issues, and refuses an order that is not every issue exactly once', async () => {
    const s = await newSession(owner);
    const [a, b, c] = await addIssues(owner, s.id, ['A', 'B', 'C']);
    expect((await owner.client.put(`/api/sessions/${s.id}/issues/order`, { issueIds: [c, a, b] })).status).toBe(204);
    expect(await titles(s.id)).toEqual(['C', 'A', 'B']);
    for (const issueIds of [[a, b], [a, a, b], [a, b, c, 'AAAAAAAAAAAAAAAAAAAAAA']]) {
      expect((await owner.client.put(`/api/sessions/${s.id}/issues/order`, { issueIds })).status).toBe(400);
    }
    await addIssues(owner, s.id, ['D']);
    expect(await titles(s.id)).toEqual(['C', 'A', 'B', 'D']);
  });
});

describe('the results export', () => {
  it('downloads issues, keys, final estimates, rounds and the votes of each round as CSV', async () => {
    const s = await newSession(owner, { name: 'Q3 planning', autoReveal: false });
    const [a] = await addIssues(owner, s.id, ['=HYPERLINK("http://evil")', 'Untouched']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    const bob = await guest(reckon, s.joinCode, 'Bob');
    await startRound(owner, s.id, a!);
    await vote(ann.client, s.id, a!, 1, '3');
    await vote(bob.client, s.id, a!, 1, '8');
    await owner.client.post(`/api/sessions/${s.id}/reveal`);
    await owner.client.post(`/api/sessions/${s.id}/revote`);
    await vote(ann.client, s.id, a!, 2, '5');
    await vote(bob.client, s.id, a!, 2, '5');
    await owner.client.post(`/api/sessions/${s.id}/reveal`);
    await owner.client.post(`/api/sessions/${s.id}/finalize`, { issueId: a, estimate: '5' });
    const res = await owner.client.get(`/api/sessions/${s.id}/results.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="Q3-planning-results.csv"');
    expect(res.text).toBe([
      'Issue,Key,Final estimate,Rounds,Votes per round,Client approval',
      `"'=HYPERLINK(""http://evil"")",,5,2,"R1: Ann=3, Bob=8; R2: Ann=5, Bob=5",`,
      'Untouched,,,0,,',
      '',
    ].join('\r\n'));
  });

  it('keeps the cards of a round still in play out of the export, and guests cannot download it', async () => {
    const s = await newSession(owner, { autoReveal: false });
    const [a] = await addIssues(owner, s.id, ['Secret round']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, a!);
    await vote(ann.client, s.id, a!, 1, '13');
    const res = await owner.client.get(`/api/sessions/${s.id}/results.csv`);
    expect(res.text).toContain('R1: not revealed');
    expect(res.text).not.toContain('13');
    expect((await ann.client.get(`/api/sessions/${s.id}/results.csv`)).status).toBe(401);
  });
});
