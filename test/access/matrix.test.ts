// The permission matrix, generated from the route table: every route of every function named in
// firebase.json × every persona gets what the permission table (shared/domain/permissions.ts)
// says — the refusal's status and code, or past the access check — and a refused call leaves the
// whole database as it was (rate-limit counters aside: a refused attempt counts against its
// limit, which is what a limit is for). A route without a sample request here fails the test.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { ApiClient, newAccount, registeredClient, startReckon, type ApiResponse, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, changeMembership, guest, newSession, startRound, teammate, type Person } from '../support/rooms.js';
import { startFakeJira, type FakeJira } from '../support/fakes/jira.js';
import { startFakeForge, type FakeForge } from '../support/fakes/forge.js';
import { bindSite } from '../support/forge.js';
import type { Route } from '../../shared/http/router.js';
import { decide, PERSONAS, PERMISSIONS } from '../../shared/domain/permissions.js';
import { routeTable } from '../../scripts/permissions-doc.js';

const SITE = 'https://acme-poker.atlassian.net';
const TOKEN = 'ATATT3xFfGF0-a-long-enough-api-token-Zq9';

interface World {
  admin: Person; tenantId: string; sessionId: string; issueId: string; round: number; joinCode: string;
  connectionId: string; cloudId: string; inviteId: string; memberUid: string;
  /** The uid of each persona that is in the team (for leaving it). */
  uids: Map<string, string>;
  /** A fresh issue / connection / invite / team member for a call that may destroy or use it. */
  newIssue(): Promise<string>; newConnection(): Promise<string>;
  newInvite(): Promise<{ id: string; token: string }>; newMember(): Promise<string>;
  /** An invite into another team of the admin's, so accepting it changes nothing in this one. */
  newInviteElsewhere(): Promise<{ id: string; token: string }>;
  /** The client portal: a client of the team, one of its links, a session assigned to it with a finalized issue. */
  clientId: string; linkId: string; portalSessionId: string; portalIssueId: string;
  newLink(): Promise<{ id: string; token: string }>;
  /** A link to a third client, so redeeming it changes no persona's standing toward `clientId`. */
  newSpareLink(): Promise<{ id: string; token: string }>;
  newPortalUser(): Promise<string>;
}
interface Sample { path: string; body?: unknown }
/** A request that passes validation, so that access is what decides; `allowed` calls may get a thing of their own to destroy. */
type SampleOf = (w: World, allowed: boolean, persona: string) => Sample | Promise<Sample>;

const SAMPLES: Record<string, SampleOf> = {
  // sessions
  'POST /api/sessions': (w) => ({ path: '/api/sessions', body: { tenantId: w.tenantId, name: 'Matrix', deck: 'fibonacci' } }),
  'GET /api/sessions': (w) => ({ path: `/api/sessions?tenantId=${w.tenantId}` }),
  'GET /api/sessions/:id': (w) => ({ path: `/api/sessions/${w.sessionId}` }),
  'GET /api/sessions/:id/results.csv': (w) => ({ path: `/api/sessions/${w.sessionId}/results.csv` }),
  'GET /api/sessions/:id/state': (w) => ({ path: `/api/sessions/${w.sessionId}/state` }),
  'POST /api/sessions/:id/issues': (w) => ({ path: `/api/sessions/${w.sessionId}/issues`, body: { issues: [{ title: 'Added' }] } }),
  'PUT /api/sessions/:id/issues/order': (w) => ({ path: `/api/sessions/${w.sessionId}/issues/order`, body: { issueIds: [w.issueId] } }),
  'PATCH /api/sessions/:id/issues/:issueId': (w) => ({ path: `/api/sessions/${w.sessionId}/issues/${w.issueId}`, body: { title: 'Edited' } }),
  'DELETE /api/sessions/:id/issues/:issueId': async (w, allowed) => ({ path: `/api/sessions/${w.sessionId}/issues/${allowed ? await w.newIssue() : w.issueId}` }),
  'POST /api/sessions/:id/current': (w) => ({ path: `/api/sessions/${w.sessionId}/current`, body: { issueId: w.issueId } }),
  'POST /api/sessions/:id/reveal': (w) => ({ path: `/api/sessions/${w.sessionId}/reveal`, body: {} }),
  'POST /api/sessions/:id/revote': (w) => ({ path: `/api/sessions/${w.sessionId}/revote`, body: {} }),
  'POST /api/sessions/:id/finalize': (w) => ({ path: `/api/sessions/${w.sessionId}/finalize`, body: { issueId: w.issueId, estimate: '5' } }),
  'POST /api/sessions/:id/close': (w) => ({ path: `/api/sessions/${w.sessionId}/close` }),
  'POST /api/sessions/:id/reopen': (w) => ({ path: `/api/sessions/${w.sessionId}/reopen` }),
  'POST /api/sessions/:id/join': (w) => ({ path: `/api/sessions/${w.sessionId}/join`, body: { role: 'voter' } }),
  'DELETE /api/sessions/:id/join': (w) => ({ path: `/api/sessions/${w.sessionId}/join` }),
  // votes
  'PUT /api/votes/:sessionId': (w) => ({ path: `/api/votes/${w.sessionId}`, body: { issueId: w.issueId, round: w.round, value: '3' } }),
  'DELETE /api/votes/:sessionId': (w) => ({ path: `/api/votes/${w.sessionId}?issueId=${w.issueId}&round=${w.round}` }),
  'GET /api/votes/:sessionId/mine': (w) => ({ path: `/api/votes/${w.sessionId}/mine` }),
  // jira
  'POST /api/jira/connections': (w) => ({ path: '/api/jira/connections', body: { tenantId: w.tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN } }),
  'GET /api/jira/connections': (w) => ({ path: `/api/jira/connections?tenantId=${w.tenantId}` }),
  'POST /api/jira/connections/:id/test': (w) => ({ path: `/api/jira/connections/${w.connectionId}/test` }),
  'DELETE /api/jira/connections/:id': async (w, allowed) => ({ path: `/api/jira/connections/${allowed ? await w.newConnection() : w.connectionId}` }),
  'GET /api/jira/connections/:id/boards': (w) => ({ path: `/api/jira/connections/${w.connectionId}/boards` }),
  'GET /api/jira/connections/:id/boards/:boardId/sprints': (w) => ({ path: `/api/jira/connections/${w.connectionId}/boards/1/sprints` }),
  'POST /api/jira/connections/:id/count': (w) => ({ path: `/api/jira/connections/${w.connectionId}/count`, body: { jql: 'project = POKER' } }),
  'POST /api/jira/connections/:id/import': (w) => ({ path: `/api/jira/connections/${w.connectionId}/import`, body: { sessionId: w.sessionId, keys: ['POKER-12'] } }),
  // forge
  'POST /api/forge/connect-codes': (w) => ({ path: '/api/forge/connect-codes', body: { tenantId: w.tenantId } }),
  'GET /api/forge/installations': (w) => ({ path: `/api/forge/installations?tenantId=${w.tenantId}` }),
  'POST /api/forge/bind': () => ({ path: '/api/forge/bind', body: { code: `rkc_${'A'.repeat(22)}` } }),
  'POST /api/forge/secret/rotate': () => ({ path: '/api/forge/secret/rotate' }),
  'POST /api/forge/write-back': (w) => ({ path: '/api/forge/write-back', body: { outcomes: [{ key: 'POKER-1', sessionId: w.sessionId, issueId: w.issueId, estimate: '5', status: 'written' }] } }),
  'POST /api/forge/write-backs/:sessionId/retry': (w) => ({ path: `/api/forge/write-backs/${w.sessionId}/retry` }),
  'POST /api/forge/write-backs/:sessionId/:issueId/retry': (w) => ({ path: `/api/forge/write-backs/${w.sessionId}/${w.issueId}/retry` }),
  'POST /api/forge/installations/:cloudId/revoke': (w) => ({ path: `/api/forge/installations/${w.cloudId}/revoke` }),
  'POST /api/forge/events': () => ({ path: '/api/forge/events', body: { type: 'app_uninstalled', cloudId: randomUUID() } }),
  'GET /api/forge/estimates': () => ({ path: '/api/forge/estimates?keys=POKER-1' }),
  // teams
  'POST /api/teams': () => ({ path: '/api/teams', body: { name: 'Matrix team' } }),
  'GET /api/teams/:tenantId': (w) => ({ path: `/api/teams/${w.tenantId}` }),
  'PATCH /api/teams/:tenantId': (w) => ({ path: `/api/teams/${w.tenantId}`, body: { name: 'Renamed team' } }),
  'POST /api/teams/:tenantId/invites': (w) => ({ path: `/api/teams/${w.tenantId}/invites`, body: { role: 'member' } }),
  'GET /api/teams/:tenantId/invites': (w) => ({ path: `/api/teams/${w.tenantId}/invites` }),
  'DELETE /api/teams/:tenantId/invites/:id': async (w, allowed) => ({ path: `/api/teams/${w.tenantId}/invites/${allowed ? (await w.newInvite()).id : w.inviteId}` }),
  'PATCH /api/teams/:tenantId/members/:uid': async (w, allowed) => ({ path: `/api/teams/${w.tenantId}/members/${allowed ? await w.newMember() : w.memberUid}`, body: { role: 'admin' } }),
  'GET /api/teams/:tenantId/audit': (w) => ({ path: `/api/teams/${w.tenantId}/audit` }),
  // Members may remove only themselves (leave): an allowed member leaves, an admin removes someone (runs after the team routes).
  'DELETE /api/teams/:tenantId/members/:uid': async (w, allowed, persona) => ({
    path: `/api/teams/${w.tenantId}/members/${!allowed ? w.memberUid : persona === 'admin' ? await w.newMember() : w.uids.get(persona)}`,
  }),
  // A valid invite for each allowed caller, into another team, so the personas keep their standing here.
  'POST /api/teams/invites/accept': async (w, allowed) => ({ path: '/api/teams/invites/accept', body: { token: allowed ? (await w.newInviteElsewhere()).token : 'rki_not-a-real-invite' } }),
  'PATCH /api/sessions/:id': (w) => ({ path: `/api/sessions/${w.sessionId}`, body: { clientId: null } }),
  // portal
  'POST /api/portal/clients': (w) => ({ path: '/api/portal/clients', body: { tenantId: w.tenantId, name: 'Matrix client' } }),
  'GET /api/portal/clients': (w) => ({ path: `/api/portal/clients?tenantId=${w.tenantId}` }),
  'PATCH /api/portal/clients/:clientId': (w) => ({ path: `/api/portal/clients/${w.clientId}`, body: { name: 'Renamed client' } }),
  'GET /api/portal/clients/:clientId/users': (w) => ({ path: `/api/portal/clients/${w.clientId}/users` }),
  'DELETE /api/portal/clients/:clientId/users/:uid': async (w, allowed) => ({ path: `/api/portal/clients/${w.clientId}/users/${allowed ? await w.newPortalUser() : w.memberUid}` }),
  'POST /api/portal/clients/:clientId/links': (w) => ({ path: `/api/portal/clients/${w.clientId}/links`, body: { note: 'matrix' } }),
  'GET /api/portal/clients/:clientId/links': (w) => ({ path: `/api/portal/clients/${w.clientId}/links` }),
  'DELETE /api/portal/clients/:clientId/links/:linkId': async (w, allowed) => ({ path: `/api/portal/clients/${w.clientId}/links/${allowed ? (await w.newLink()).id : w.linkId}` }),
  'POST /api/portal/links/redeem': async (w, allowed) => ({ path: '/api/portal/links/redeem', body: { token: allowed ? (await w.newSpareLink()).token : 'not-a-portal-link' } }),
  'GET /api/portal/access': () => ({ path: '/api/portal/access' }),
  'GET /api/portal/:clientId/estimates': (w) => ({ path: `/api/portal/${w.clientId}/estimates` }),
  'GET /api/portal/:clientId/sessions/:sessionId/summary': (w) => ({ path: `/api/portal/${w.clientId}/sessions/${w.portalSessionId}/summary` }),
  'POST /api/portal/:clientId/estimates/:sessionId/:issueId/approval': (w) => ({ path: `/api/portal/${w.clientId}/estimates/${w.portalSessionId}/${w.portalIssueId}/approval`, body: { decision: 'approved' } }),
  // ai (AI off: statistical answers; before the reveal a summary is refused with not_revealed)
  'POST /api/ai/sessions/:sessionId/issues/:issueId/summary': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/issues/${w.issueId}/summary` }),
  'GET /api/ai/sessions/:sessionId/issues/:issueId/summary': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/issues/${w.issueId}/summary` }),
  'GET /api/ai/sessions/:sessionId/issues/:issueId/suggestion': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/issues/${w.issueId}/suggestion` }),
  'POST /api/ai/sessions/:sessionId/summary': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/summary` }),
  // Run after the POST above (the route table keeps the file's order), so a summary is stored.
  'GET /api/ai/sessions/:sessionId/summary': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/summary` }),
  'GET /api/ai/sessions/:sessionId/summary.txt': (w) => ({ path: `/api/ai/sessions/${w.sessionId}/summary.txt` }),
  'GET /api/ai/teams/:tenantId/settings': (w) => ({ path: `/api/ai/teams/${w.tenantId}/settings` }),
  'PUT /api/ai/teams/:tenantId/settings': (w) => ({ path: `/api/ai/teams/${w.tenantId}/settings`, body: { enabled: false, dailyQuota: 50 } }),
  // jobs
  'POST /api/jobs/jira-sync': () => ({ path: '/api/jobs/jira-sync' }),
  'POST /api/jobs/retention': () => ({ path: '/api/jobs/retention' }),
  'POST /api/jobs/insights-backfill': () => ({ path: '/api/jobs/insights-backfill' }),
  // insights
  'GET /api/insights': (w) => ({ path: `/api/insights?tenantId=${w.tenantId}` }),
  'GET /api/insights/portal/:clientId': (w) => ({ path: `/api/insights/portal/${w.clientId}` }),
  // auth: account
  'GET /api/auth/me': () => ({ path: '/api/auth/me' }),
  'GET /api/auth/me/export': () => ({ path: '/api/auth/me/export' }),
  'DELETE /api/auth/me': () => ({ path: '/api/auth/me', body: { password: 'not the password' } }),
  'POST /api/auth/password': () => ({ path: '/api/auth/password', body: { currentPassword: 'not the password', newPassword: 'another good passphrase' } }),
  // auth: public (run last: refresh and logout change the callers' own sessions)
  'POST /api/auth/register': () => ({ path: '/api/auth/register', body: newAccount() }),
  'POST /api/auth/login': (w) => ({ path: '/api/auth/login', body: { email: w.admin.account.email, password: 'not the password' } }),
  'POST /api/auth/guest': (w) => ({ path: '/api/auth/guest', body: { joinCode: w.joinCode, displayName: 'Matrix guest' } }),
  'POST /api/auth/refresh': () => ({ path: '/api/auth/refresh' }),
  'POST /api/auth/logout': () => ({ path: '/api/auth/logout' }),
};

/** Every function's routes (a new function in firebase.json is picked up by itself), public ones last. */
async function allRoutes(): Promise<Route[]> {
  // Leaving a team and accepting an invite change who is in the team, refresh and logout the
  // callers' own sessions: they run after everything else, in that order, logout the very last.
  const LAST = ['DELETE /api/teams/:tenantId/members/:uid', 'POST /api/auth/refresh', 'POST /api/auth/logout'];
  const rank = (r: Route) => (r.permission === 'public' ? 1 : 0) + LAST.indexOf(`${r.method} ${r.path}`) + 1;
  return (await routeTable()).sort((a, b) => rank(a) - rank(b));
}

/** Every document's path and update time, by collection group: any write shows (rate limits aside). */
async function snapshot(projectId: string): Promise<string> {
  const db = newFirestore({ projectId });
  const groups = new Set([...(await db.listCollections()).map((c) => c.id), 'participants', 'votes', 'issues']);
  groups.delete('rateLimits');
  const lines: string[] = [];
  await Promise.all([...groups].map(async (g) => {
    for (const d of (await db.collectionGroup(g).get()).docs) lines.push(`${d.ref.path} ${d.updateTime.toMillis()}.${d.updateTime.nanoseconds}`);
  }));
  await db.terminate();
  return lines.sort().join('\n');
}


let reckon: Reckon;
let jira: FakeJira;
let forge: FakeForge;
let world: World;
const cookies = new Map<string, string | undefined>();
let routes: Route[];

beforeAll(async () => {
  jira = await startFakeJira({ email: 'mia@acme.example', apiToken: TOKEN });
  forge = await startFakeForge();
  reckon = await startReckon({ RECKON_JIRA_FAKE_URL: jira.url, RECKON_POLL_CACHE_MS: '0', ...forge.env });
  routes = await allRoutes();
  const admin = await registeredClient(reckon);
  const tenantId = admin.tenant.tenantId;
  const owner = await teammate(reckon, admin, 'member');
  // Owned by a member of the admin's team, in that team (not the owner's own).
  const session = await newSession(owner, { tenantId });
  const other = await newSession(owner, { tenantId, name: 'Another session' });
  const [issueId] = await addIssues(owner, session.id, ['Login page']);
  const round = await startRound(owner, session.id, issueId!);
  const { cloudId, res: bound } = await bindSite(reckon, forge, admin);
  expect(bound.status).toBe(201);
  const inviteInto = async (team: string) => {
    const res = await admin.client.post(`/api/teams/${team}/invites`, { role: 'member' });
    expect(res.status).toBe(201);
    return { id: res.json.invite.id as string, token: decodeURIComponent((res.json.url as string).split('#/invite/')[1]!) };
  };
  const newInvite = () => inviteInto(tenantId);
  const elsewhere = await admin.client.post('/api/teams', { name: 'Elsewhere' });
  expect(elsewhere.status).toBe(201);
  const member = await teammate(reckon, admin);
  world = {
    admin, tenantId, sessionId: session.id, issueId: issueId!, round, joinCode: session.joinCode, connectionId: '', cloudId,
    inviteId: (await newInvite()).id, memberUid: member.user.uid, uids: new Map(),
    newIssue: async () => (await addIssues(owner, session.id, ['To delete']))[0]!,
    newConnection: async () => (await admin.client.post('/api/jira/connections', { tenantId, siteUrl: SITE, email: 'mia@acme.example', apiToken: TOKEN })).json.connection.id,
    newInvite,
    newInviteElsewhere: () => inviteInto(elsewhere.json.team.tenantId),
    newMember: async () => (await teammate(reckon, admin)).user.uid,
  } as World;
  world.connectionId = await world.newConnection();
  const newPortalClient = async (name: string) => {
    const res = await admin.client.post('/api/portal/clients', { tenantId, name });
    expect(res.status).toBe(201);
    return res.json.client.id as string;
  };
  const linkTo = async (clientId: string) => {
    const res = await admin.client.post(`/api/portal/clients/${clientId}/links`, {});
    expect(res.status).toBe(201);
    return { id: res.json.link.id as string, token: (res.json.url as string).split('#/portal/link/')[1]! };
  };
  const portalUserOf = async (clientId: string) => {
    const person = await registeredClient(reckon);
    expect((await person.client.post('/api/portal/links/redeem', { token: (await linkTo(clientId)).token })).status).toBe(200);
    return person;
  };
  const [clientId, otherClientId, spareClientId] = [await newPortalClient('Acme'), await newPortalClient('Globex'), await newPortalClient('Spare')];
  const portalSession = await newSession(owner, { tenantId, clientId, name: 'Client work' });
  const [portalIssueId] = await addIssues(owner, portalSession.id, ['Client issue']);
  expect((await owner.client.post(`/api/sessions/${portalSession.id}/finalize`, { issueId: portalIssueId, estimate: '5' })).status).toBe(200);
  Object.assign(world, {
    clientId, linkId: (await linkTo(clientId)).id, portalSessionId: portalSession.id, portalIssueId: portalIssueId!,
    newLink: () => linkTo(clientId), newSpareLink: () => linkTo(spareClientId),
    newPortalUser: async () => (await portalUserOf(clientId)).user.uid,
  });

  const copy = (p: Person) => p.client.cookie;
  const removed = await teammate(reckon, admin);
  const removedCookie = copy(removed);
  await changeMembership(tenantId, removed.user.uid, 'remove');
  const demotedOld = await teammate(reckon, admin, 'admin');
  const demotedOldCookie = copy(demotedOld);
  await changeMembership(tenantId, demotedOld.user.uid, { role: 'member' });
  const demoted = await teammate(reckon, admin, 'admin');
  await changeMembership(tenantId, demoted.user.uid, { role: 'member' });
  expect((await demoted.client.post('/api/auth/refresh')).status).toBe(200);
  const erased = await teammate(reckon, admin);
  const erasedCookie = copy(erased);
  expect((await erased.client.delete('/api/auth/me', { password: erased.account.password })).status).toBe(204);
  const leaver = await teammate(reckon, admin, 'admin');
  const leaverCookie = copy(leaver);
  expect((await leaver.client.post('/api/auth/logout')).status).toBe(204);

  cookies.set('anonymous', undefined);
  cookies.set('stranger', copy(await registeredClient(reckon)));
  cookies.set("other team's admin", copy(await registeredClient(reckon)));
  cookies.set('member', copy(member));
  cookies.set('admin', copy(admin));
  cookies.set('session owner', copy(owner));
  world.uids.set('member', member.user.uid).set('admin', admin.user.uid).set('session owner', owner.user.uid).set('demoted admin (refreshed)', demoted.user.uid);
  cookies.set('guest of this session', (await guest(reckon, session.joinCode, 'Here')).client.cookie);
  cookies.set('guest of another session', (await guest(reckon, other.joinCode, 'Elsewhere')).client.cookie);
  cookies.set('removed member (old cookie)', removedCookie);
  cookies.set('demoted admin (old cookie)', demotedOldCookie);
  cookies.set('demoted admin (refreshed)', copy(demoted));
  cookies.set('erased user', erasedCookie);
  cookies.set('logged-out cookie', leaverCookie);
  cookies.set('portal user of this client', copy(await portalUserOf(clientId)));
  cookies.set('portal user of another client', copy(await portalUserOf(otherClientId)));
}, 120_000);

afterAll(async () => {
  await reckon?.close();
  await jira?.close();
  await forge?.close();
});

const ACCESS_CODES = ['unauthenticated', 'token_expired', 'forbidden', 'not_found'];

function call(route: Route, persona: string, sample: Sample): Promise<ApiResponse> {
  const client = new ApiClient(reckon);
  client.cookie = cookies.get(persona);
  return client.request(route.method, sample.path, sample.body === undefined ? {} : { body: sample.body });
}

describe('the permission matrix (every route × every persona)', () => {
  it('has a sample request for every route, and a persona for every row of the table', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((k) => !SAMPLES[k])).toEqual([]);
    expect([...cookies.keys()].sort()).toEqual(PERSONAS.map((p) => p.name).sort());
    expect(routes.every((r) => r.permission in PERMISSIONS)).toBe(true);
  });

  it('answers each call as the table says and changes nothing when it refuses', async () => {
    const mismatches: string[] = [];
    let refused = 0;
    for (const route of routes) {
      const signedElsewhere = ['forge', 'scheduler'].includes(PERMISSIONS[route.permission].signIn);
      const key = `${route.method} ${route.path}`;
      const expected = PERSONAS.map((p) => ({ persona: p.name, decision: decide(route.permission, p.credential, p.standing) }));
      // Refusals first, one snapshot after another; then the allowed calls.
      const ordered = [...expected.filter((e) => !e.decision.allow), ...expected.filter((e) => e.decision.allow)];
      let before = await snapshot(reckon.projectId);
      for (const { persona, decision } of ordered) {
        const sample = await SAMPLES[key]!(world, decision.allow, persona);
        const res = await call(route, persona, sample);
        const got = `${res.status} ${res.json?.error?.code ?? ''}`.trim();
        if (decision.allow) {
          if (res.status >= 500 || (route.permission !== 'public' && ACCESS_CODES.includes(res.json?.error?.code))) mismatches.push(`${key} as ${persona}: allowed, got ${got}`);
          continue;
        }
        refused++;
        const want = signedElsewhere ? `${decision.status}` : `${decision.status} ${decision.code}`;
        if ((signedElsewhere ? `${res.status}` : got) !== want) mismatches.push(`${key} as ${persona}: want ${want}, got ${got}`);
        const after = await snapshot(reckon.projectId);
        if (after !== before) mismatches.push(`${key} as ${persona}: refused (${got}) but the database changed`);
        before = after;
      }
    }
    expect(mismatches).toEqual([]);
    // The closing note quotes these.
    console.log(`permission matrix: ${routes.length} routes × ${PERSONAS.length} personas = ${routes.length * PERSONAS.length} calls, ${refused} refused`);
  }, 600_000);
});
