// Issue #15, items 9 and 10: what the API shows of votes. A round that was never revealed stays
// face down everywhere, for good; and every response carries exactly its declared keys, never a
// stored document's own fields (tenantId, updatedAt with its _seconds, …).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, registeredClient, startReckon, type ApiResponse, type Reckon } from '../support/reckon.js';
import { addIssues, guest, newSession, poll, startRound, teammate, vote, type Person } from '../support/rooms.js';

let reckon: Reckon;
let owner: Person;
beforeAll(async () => {
  reckon = await startReckon({ RECKON_POLL_CACHE_MS: '0' });
  owner = await registeredClient(reckon);
});
afterAll(async () => { await reckon.close(); });

const csvOf = async (sessionId: string) => (await owner.client.get(`/api/sessions/${sessionId}/results.csv`)).text;

describe('item 9: a round that was never revealed stays face down', () => {
  it('keeps the cards out of the CSV when the moderator moves to the next issue without a reveal', async () => {
    const s = await newSession(owner, { autoReveal: false });
    const [a, b] = await addIssues(owner, s.id, ['Login', 'Search']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, a!);
    expect((await vote(ann.client, s.id, a!, 1, '13')).status).toBe(200);
    await startRound(owner, s.id, b!);
    const csv = await csvOf(s.id);
    expect(csv).toContain('Login,,,1,R1: not revealed');
    expect(csv).not.toContain('13');
    // Coming back to the issue later starts a new round; the old one is still face down.
    await startRound(owner, s.id, a!);
    await owner.client.post(`/api/sessions/${s.id}/reveal`);
    expect(await csvOf(s.id)).toContain('Login,,,2,R1: not revealed; R2: no votes');
    const state = await poll(owner.client, s.id);
    expect(state.json).toMatchObject({ round: 2, revealed: true, votes: [] });
  });

  it('keeps the cards out of the CSV after "Vote again" without a reveal, and shows revealed rounds', async () => {
    const s = await newSession(owner, { autoReveal: false });
    const [a] = await addIssues(owner, s.id, ['Login']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, a!);
    await vote(ann.client, s.id, a!, 1, '13');
    expect((await owner.client.post(`/api/sessions/${s.id}/revote`)).status).toBe(200);
    await vote(ann.client, s.id, a!, 2, '5');
    await owner.client.post(`/api/sessions/${s.id}/reveal`);
    const csv = await csvOf(s.id);
    expect(csv).toContain('Login,,,2,R1: not revealed; R2: Ann=5,\r\n');
    expect(csv).not.toContain('13');
  });

  it('shows a round that revealed itself (auto-reveal) like one the moderator revealed', async () => {
    const s = await newSession(owner, { autoReveal: true });
    const [a] = await addIssues(owner, s.id, ['Login']);
    const ann = await guest(reckon, s.joinCode, 'Ann');
    await startRound(owner, s.id, a!);
    await vote(ann.client, s.id, a!, 1, '8');
    expect((await poll(owner.client, s.id)).json.revealed).toBe(true);
    await owner.client.post(`/api/sessions/${s.id}/revote`);
    expect(await csvOf(s.id)).toContain('R1: Ann=8; R2: not revealed');
  });
});

/**
 * Every key path of a JSON value, sorted: `a.b`, `list[].c`. An empty array or null contributes
 * its own path only, so the tests below use data that fills every list.
 */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.length ? [...new Set(value.flatMap((v) => keyPaths(v, `${path}[]`)))].sort() : [path];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => keyPaths(v, path ? `${path}.${k}` : k)).sort();
  }
  return [path];
}

const SESSION = (p: string) => ['autoReveal', 'clientId', 'createdAt', 'currentIssueId', 'deck.name', 'deck.values[]', 'id', 'joinCode', 'name', 'ownerUid', 'revealed', 'round', 'status', 'tenantId', 'writeBacks.failed', 'writeBacks.keptByHand', 'writeBacks.pending', 'writeBacks.written'].map((k) => `${p}.${k}`);
const USER = ['user.createdAt', 'user.displayName', 'user.email', 'user.uid'];
const PARTICIPANT = ['participant.displayName', 'participant.id', 'participant.kind', 'participant.role'];
const ROUND = ['currentIssueId', 'revealed', 'round', 'status'];
const ISSUE = (p: string) => ['description', 'finalEstimate', 'id', 'jira', 'order', 'rounds', 'title'].map((k) => `${p}.${k}`);
const STATE = [
  'currentIssue.description', 'currentIssue.id', 'currentIssue.jira', 'currentIssue.title', 'everyoneVoted',
  'issues[].approval', 'issues[].estimatedAt', 'issues[].finalEstimate', 'issues[].id', 'issues[].jira', 'issues[].order', 'issues[].rounds', 'issues[].title',
  'me.canModerate', 'me.note', 'me.participantId', 'me.role', 'me.vote',
  'participants[].displayName', 'participants[].hasVoted', 'participants[].id', 'participants[].kind', 'participants[].online', 'participants[].role',
  'revealed', 'round', 'serverTime',
  'session.autoReveal', 'session.deck.name', 'session.deck.values[]', 'session.id', 'session.joinCode', 'session.name', 'session.status', 'session.tenantId',
  'statistics.average', 'statistics.consensus', 'statistics.distribution[].count', 'statistics.distribution[].value', 'statistics.median',
  'statistics.spread.highest', 'statistics.spread.lowest', 'statistics.spread.steps', 'statistics.votes',
  'version', 'votes[].note', 'votes[].participantId', 'votes[].value',
];

describe('item 10: every response carries exactly its declared keys', () => {
  // One room played through every route of the sessions, votes and auth functions; each answer
  // is recorded, then compared key by key with what docs/api.md declares.
  const answers = new Map<string, ApiResponse>();
  beforeAll(async () => {
    const ann = await registeredClient(reckon);
    answers.set('register', await new ApiClient(reckon).post('/api/auth/register', { email: `keys-${Date.now()}@example.com`, password: 'correct horse battery', displayName: 'Keys' }));
    answers.set('login', await new ApiClient(reckon).post('/api/auth/login', { email: ann.account.email, password: ann.account.password }));
    answers.set('refresh', await ann.client.post('/api/auth/refresh'));
    answers.set('me', await ann.client.get('/api/auth/me'));
    answers.set('export', await ann.client.get('/api/auth/me/export'));
    const mate = await teammate(reckon, owner);
    const s = await newSession(owner, { autoReveal: false });
    answers.set('create session', await owner.client.post('/api/sessions', { tenantId: owner.tenant.tenantId, name: 'Keys', deck: 'fibonacci' }));
    answers.set('list sessions', await owner.client.get(`/api/sessions?tenantId=${owner.tenant.tenantId}`));
    answers.set('read session', await owner.client.get(`/api/sessions/${s.id}`));
    answers.set('add issues', await owner.client.post(`/api/sessions/${s.id}/issues`, { issues: [{ title: 'A' }, { title: 'B' }] }));
    const [a, b] = answers.get('add issues')!.json.issues.map((i: { id: string }) => i.id);
    answers.set('edit issue', await owner.client.patch(`/api/sessions/${s.id}/issues/${b}`, { title: 'B2' }));
    answers.set('reorder issues', await owner.client.put(`/api/sessions/${s.id}/issues/order`, { issueIds: [a, b] }));
    const g = await guest(reckon, s.joinCode, 'Gus');
    answers.set('guest join', g.res);
    answers.set('member join', await mate.client.post(`/api/sessions/${s.id}/join`, { role: 'voter' }));
    answers.set('current', await owner.client.post(`/api/sessions/${s.id}/current`, { issueId: a }));
    answers.set('cast vote', await vote(g.client, s.id, a, 1, '5'));
    await vote(mate.client, s.id, a, 1, '8');
    answers.set('my vote', await g.client.get(`/api/votes/${s.id}/mine`));
    answers.set('reveal', await owner.client.post(`/api/sessions/${s.id}/reveal`));
    answers.set('state (guest)', await poll(g.client, s.id));
    answers.set('state (member)', await poll(mate.client, s.id));
    answers.set('finalize', await owner.client.post(`/api/sessions/${s.id}/finalize`, { issueId: a, estimate: '5' }));
    answers.set('revote', await owner.client.post(`/api/sessions/${s.id}/revote`));
    answers.set('retract vote', await g.client.delete(`/api/votes/${s.id}?issueId=${a}&round=2`));
    answers.set('close', await owner.client.post(`/api/sessions/${s.id}/close`));
    answers.set('reopen', await owner.client.post(`/api/sessions/${s.id}/reopen`));
    answers.set('delete issue', await owner.client.delete(`/api/sessions/${s.id}/issues/${b}`));
    answers.set('leave', await mate.client.delete(`/api/sessions/${s.id}/join`));
    answers.set('logout', await ann.client.post('/api/auth/logout'));
    const leaver = await registeredClient(reckon);
    answers.set('erase', await leaver.client.delete('/api/auth/me', { password: leaver.account.password }));
  });

  it.each<[string, number, string[] | null]>([
    ['register', 201, [...USER, 'tenant.name', 'tenant.role', 'tenant.tenantId']],
    ['login', 200, USER],
    ['refresh', 200, USER],
    ['me', 200, [...USER, 'memberships[].role', 'memberships[].tenantId', 'memberships[].tenantName', 'portal']],
    ['export', 200, [
      'exportedAt', ...USER, 'knownNetworks[].lastSignInAt', 'knownNetworks[].network', 'memberships[].joinedAt', 'memberships[].role', 'memberships[].tenantId', 'memberships[].tenantName', 'memberships[].uid',
      'ownedSessions', 'portalAccess', 'rooms', 'sessionsSignedIn[].createdAt', 'sessionsSignedIn[].expiresAt', 'sessionsSignedIn[].familyId',
      'sessionsSignedIn[].id', 'sessionsSignedIn[].revoked',
    ]],
    ['create session', 201, SESSION('session')],
    ['list sessions', 200, SESSION('sessions[]')],
    ['read session', 200, SESSION('session')],
    ['add issues', 201, ISSUE('issues[]')],
    ['edit issue', 200, ISSUE('issue')],
    ['reorder issues', 204, null],
    ['guest join', 201, ['asMember', ...PARTICIPANT, 'session.id', 'session.name', 'session.tenantId']],
    ['member join', 201, PARTICIPANT],
    ['current', 200, ROUND],
    ['cast vote', 200, ['vote.issueId', 'vote.note', 'vote.round', 'vote.value']],
    ['my vote', 200, ['vote.issueId', 'vote.note', 'vote.round', 'vote.value']],
    ['reveal', 200, ROUND],
    ['state (guest)', 200, STATE],
    ['state (member)', 200, STATE],
    ['finalize', 200, ['issue.estimatedAt', 'issue.finalEstimate', 'issue.id']],
    ['revote', 200, ROUND],
    ['retract vote', 204, null],
    ['close', 200, ROUND],
    ['reopen', 200, ROUND],
    ['delete issue', 204, null],
    ['leave', 204, null],
    ['logout', 204, null],
    ['erase', 204, null],
  ])('%s answers %i with exactly its declared keys', (name, status, keys) => {
    const res = answers.get(name)!;
    expect(res.status, res.text).toBe(status);
    if (keys === null) expect(res.text).toBe('');
    else expect(keyPaths(res.json)).toEqual([...keys].sort());
  });

  it('shows revealed votes as {participantId, value, note} only: no tenant, issue, round or time of voting', () => {
    const votes = answers.get('state (guest)')!.json.votes;
    expect(votes).toHaveLength(2);
    for (const v of votes) expect(Object.keys(v).sort()).toEqual(['note', 'participantId', 'value']);
    expect(answers.get('state (guest)')!.text).not.toMatch(/_seconds|updatedAt|tenantId":"[^"]+","(issueId|round)/);
  });
});
