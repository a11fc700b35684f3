// What a portal user sees and decides (issue #17 items 4-6): the client's finalized estimates
// only, approvals the team sees in the room and the CSV, a re-estimate clearing them, and every
// way to reach beyond the one client refused with nothing written.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, guest, newSession, poll, startRound, vote } from '../support/rooms.js';
import { refusedWithoutChange } from '../teams/support.js';
import { newClient, portalUser, type Person } from './support.js';

let reckon: Reckon;
let admin: Person; let otherAdmin: Person; let pa: Person; let pb: Person; let pc: Person;
let acme: string; let globex: string; let theirs: string;
const s = { acme: '', globex: '', none: '' };
const i = { done: '', open: '', globex: '', none: '' };
let joinCode = '';

async function finalize(sessionId: string, issueId: string, estimate: string) {
  const res = await admin.client.post(`/api/sessions/${sessionId}/finalize`, { issueId, estimate });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  reckon = await startReckon();
  [admin, otherAdmin] = await Promise.all([registeredClient(reckon), registeredClient(reckon)]);
  acme = await newClient(admin, admin.tenant.tenantId, 'Acme');
  globex = await newClient(admin, admin.tenant.tenantId, 'Globex');
  theirs = await newClient(otherAdmin, otherAdmin.tenant.tenantId, 'Theirs');
  const sa = await newSession(admin, { name: 'Acme sprint', clientId: acme });
  s.acme = sa.id; joinCode = sa.joinCode;
  s.globex = (await newSession(admin, { name: 'Globex sprint', clientId: globex })).id;
  s.none = (await newSession(admin, { name: 'Internal' })).id;
  [i.done, i.open] = await addIssues(admin, s.acme, ['Checkout page', 'Refund flow']) as [string, string];
  const ann = await guest(reckon, joinCode, 'Ann Voter');
  const bob = await guest(reckon, joinCode, 'Bob Voter');
  const round = await startRound(admin, s.acme, i.done);
  await vote(ann.client, s.acme, i.done, round, '5');
  await vote(bob.client, s.acme, i.done, round, '8');
  await admin.client.post(`/api/sessions/${s.acme}/reveal`);
  await finalize(s.acme, i.done, '8');
  [i.globex] = await addIssues(admin, s.globex, ['Globex thing']) as [string];
  await finalize(s.globex, i.globex, '3');
  [i.none] = await addIssues(admin, s.none, ['Internal thing']) as [string];
  await finalize(s.none, i.none, '2');
  pa = await portalUser(reckon, admin, acme);
  pb = await portalUser(reckon, admin, globex);
  pc = await portalUser(reckon, otherAdmin, theirs);
});
afterAll(async () => { await reckon.close(); });

describe('a portal user', () => {
  it('sees their access, and exactly their client\'s finalized estimates with a client-safe summary', async () => {
    const access = await pa.client.get('/api/portal/access');
    expect(access.json).toEqual({ access: [{ tenantId: admin.tenant.tenantId, clientId: acme, clientName: 'Acme', teamName: expect.any(String) }] });
    const res = await pa.client.get(`/api/portal/${acme}/estimates`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      estimates: [{
        sessionId: s.acme, sessionName: 'Acme sprint', issue: { id: i.done, title: 'Checkout page', jira: null }, finalEstimate: '8', estimatedAt: expect.any(String),
        summary: { rounds: 1, voters: 2, consensus: false, range: { lowest: '5', highest: '8' } }, approval: null,
      }],
      next: null,
    });
    for (const secret of ['Ann Voter', 'Bob Voter', joinCode, 'Refund flow', 'Globex', 'Internal', 'participantId']) expect(res.text).not.toContain(secret);
  });

  it('approves an estimate; a later decision replaces it with history kept; the team sees it in the room and the CSV; a re-estimate clears it', async () => {
    const first = await pa.client.post(`/api/portal/${acme}/estimates/${s.acme}/${i.done}/approval`, { decision: 'declined', comment: 'Too high' });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ approval: { decision: 'declined', comment: 'Too high', by: { displayName: pa.user.displayName }, at: expect.any(String) } });
    const second = await pa.client.post(`/api/portal/${acme}/estimates/${s.acme}/${i.done}/approval`, { decision: 'approved' });
    expect(second.json.approval).toMatchObject({ decision: 'approved', comment: '' });
    expect((await pa.client.get(`/api/portal/${acme}/estimates?status=approved`)).json.estimates).toHaveLength(1);
    expect((await pa.client.get(`/api/portal/${acme}/estimates?status=pending`)).json.estimates).toHaveLength(0);
    const room = await poll(admin.client, s.acme);
    expect(room.json.issues.find((x: { id: string }) => x.id === i.done).approval).toMatchObject({ decision: 'approved', by: { displayName: pa.user.displayName } });
    const csv = await admin.client.get(`/api/sessions/${s.acme}/results.csv`);
    expect(csv.text).toContain(`approved by ${pa.user.displayName}`);
    const db = newFirestore({ projectId: reckon.projectId });
    const history = await db.collection('portalApprovals').where('issueId', '==', i.done).get();
    expect(history.docs.map((d) => d.get('decision')).sort()).toEqual(['approved', 'declined']);
    await db.terminate();
    await finalize(s.acme, i.done, '13');
    expect((await pa.client.get(`/api/portal/${acme}/estimates`)).json.estimates[0]).toMatchObject({ finalEstimate: '13', approval: null });
    expect((await poll(admin.client, s.acme)).json.issues.find((x: { id: string }) => x.id === i.done).approval).toBeNull();
  });

  it('is refused everything beyond their one client, with nothing written', async () => {
    const tenant = admin.tenant.tenantId;
    const approval = (client: string, session: string, issue: string, body: unknown = { decision: 'approved' }) =>
      () => pa.client.post(`/api/portal/${client}/estimates/${session}/${issue}/approval`, body);
    const cases: [string, () => Promise<import('../support/reckon.js').ApiResponse>, number][] = [
      ['another client of the same team', () => pa.client.get(`/api/portal/${globex}/estimates`), 404],
      ['another team\'s client', () => pa.client.get(`/api/portal/${theirs}/estimates`), 404],
      ['a client that does not exist', () => pa.client.get('/api/portal/NoSuchClient0000000000/estimates'), 404],
      ['the team\'s sessions list', () => pa.client.get(`/api/sessions?tenantId=${tenant}`), 404],
      ['the client\'s own session, as a team route', () => pa.client.get(`/api/sessions/${s.acme}`), 404],
      ['the room of the client\'s session', () => pa.client.get(`/api/sessions/${s.acme}/state`), 404],
      ['the results CSV', () => pa.client.get(`/api/sessions/${s.acme}/results.csv`), 404],
      ['a vote', () => pa.client.put(`/api/votes/${s.acme}`, { issueId: i.done, round: 1, value: '3' }), 404],
      ['the team', () => pa.client.get(`/api/teams/${tenant}`), 404],
      ['the clients list', () => pa.client.get(`/api/portal/clients?tenantId=${tenant}`), 404],
      ['the client\'s links', () => pa.client.get(`/api/portal/clients/${acme}/links`), 404],
      ['the client\'s portal users', () => pa.client.get(`/api/portal/clients/${acme}/users`), 404],
      ['Jira connections', () => pa.client.get(`/api/jira/connections?tenantId=${tenant}`), 404],
      ['Forge installations', () => pa.client.get(`/api/forge/installations?tenantId=${tenant}`), 404],
      ['approving another client\'s estimate through their own client', approval(acme, s.globex, i.globex), 404],
      ['approving another client\'s estimate through that client', approval(globex, s.globex, i.globex), 404],
      ['approving an unassigned session\'s issue', approval(acme, s.none, i.none), 404],
      ['approving an issue not finalized', approval(acme, s.acme, i.open), 404],
      ['approving an issue of another session under this one', approval(acme, s.acme, i.globex), 404],
      ['approving in another team', approval(theirs, s.acme, i.done), 404],
      ['a decision outside the set', approval(acme, s.acme, i.done, { decision: 'maybe' }), 400],
      ['a decision in capitals', approval(acme, s.acme, i.done, { decision: 'APPROVED' }), 400],
      ['a 10 KiB comment', approval(acme, s.acme, i.done, { decision: 'approved', comment: 'x'.repeat(10_240) }), 400],
      ['a comment that is an object', approval(acme, s.acme, i.done, { decision: 'approved', comment: { $gt: '' } }), 400],
      ['a signature of its choosing', approval(acme, s.acme, i.done, { decision: 'approved', by: 'The CEO' }), 400],
      ['an unknown status filter', () => pa.client.get(`/api/portal/${acme}/estimates?status=all2`), 400],
      ['a cursor that is not one', () => pa.client.get(`/api/portal/${acme}/estimates?cursor=yesterday`), 400],
      ['a client id that is not an id', () => pa.client.get('/api/portal/a%24b/estimates'), 400],
    ];
    for (const [name, call, status] of cases) {
      const res = await refusedWithoutChange(reckon, call, status);
      expect(res.status, name).toBe(status);
    }
    // The team's own admin is not a portal user of the client; another client's portal users neither.
    await refusedWithoutChange(reckon, () => admin.client.get(`/api/portal/${acme}/estimates`), 404, 'not_found');
    await refusedWithoutChange(reckon, () => pb.client.get(`/api/portal/${acme}/estimates`), 404, 'not_found');
    await refusedWithoutChange(reckon, () => pc.client.post(`/api/portal/${acme}/estimates/${s.acme}/${i.done}/approval`, { decision: 'approved' }), 404, 'not_found');
    await refusedWithoutChange(reckon, () => pb.client.get(`/api/portal/${theirs}/estimates`), 404, 'not_found');
  }, 120_000);

  it('loses access at once when an admin removes them, and when the client is archived', async () => {
    const person = await portalUser(reckon, admin, acme);
    expect((await person.client.get(`/api/portal/${acme}/estimates`)).status).toBe(200);
    expect((await admin.client.delete(`/api/portal/clients/${acme}/users/${person.user.uid}`)).status).toBe(204);
    await refusedWithoutChange(reckon, () => person.client.get(`/api/portal/${acme}/estimates`), 404, 'not_found');
    await refusedWithoutChange(reckon, () => person.client.post(`/api/portal/${acme}/estimates/${s.acme}/${i.done}/approval`, { decision: 'approved' }), 404, 'not_found');
    expect((await admin.client.patch(`/api/portal/clients/${globex}`, { archived: true })).status).toBe(200);
    await refusedWithoutChange(reckon, () => pb.client.get(`/api/portal/${globex}/estimates`), 404, 'not_found');
    expect((await pb.client.get('/api/portal/access')).json.access).toEqual([]);
  });
});
