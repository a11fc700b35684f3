// Every teams route attacked (the accept cases spread over three strangers, each under the
// per-person limit of 10 accepts in 10 minutes): each persona that may not call it, malformed, huge and hostile
// input, and route-specific abuse (invite tokens of every wrong kind, roles outside the set, the
// last admin, other teams' members and invites). Each call is refused with its status, and the
// whole database (rate-limit counters aside) is compared before and after: nothing changed.
import { beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { guest, newSession } from '../support/rooms.js';
import { readSessionCookie } from '../../shared/http/cookies.js';
import { accept, describeHostileRoutes, joined, newInvite, newTeam, type Person } from './support.js';

let reckon: Reckon;
let admin: Person; let member: Person; let stranger: Person; let strangers: Person[]; let otherAdmin: Person; let guestClient: ApiClient;
let team: string; let otherTeam: string;
const tokens: Record<string, string> = {};
let otherInviteId = '';

beforeAll(async () => {
  reckon = await startReckon();
  [admin, stranger, otherAdmin] = await Promise.all([registeredClient(reckon), registeredClient(reckon), registeredClient(reckon)]);
  strangers = await Promise.all([registeredClient(reckon), registeredClient(reckon)]);
  team = await newTeam(admin, 'Target');
  otherTeam = await newTeam(otherAdmin, 'Elsewhere');
  member = await joined(reckon, admin, team);
  const db = newFirestore({ projectId: reckon.projectId });
  const usedUp = await newInvite(admin, team);
  await accept(await registeredClient(reckon), usedUp.token);
  const revoked = await newInvite(admin, team, { maxUses: 5 });
  await admin.client.delete(`/api/teams/${team}/invites/${revoked.id}`);
  const expired = await newInvite(admin, team, { maxUses: 5 });
  // No clock to move: the fixture's expiry is set in the past directly.
  await db.doc(`invites/${expired.id}`).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
  const othersRevoked = await newInvite(otherAdmin, otherTeam, { maxUses: 5 });
  await otherAdmin.client.delete(`/api/teams/${otherTeam}/invites/${othersRevoked.id}`);
  const valid = await newInvite(admin, team, { maxUses: 5 });
  otherInviteId = (await newInvite(otherAdmin, otherTeam)).id;
  const s = await newSession(admin, { tenantId: team });
  guestClient = (await guest(reckon, s.joinCode)).client;
  const userTokens = readSessionCookie(member.client.cookie)!.user!;
  Object.assign(tokens, {
    usedUp: usedUp.token, revoked: revoked.token, expired: expired.token, othersRevoked: othersRevoked.token, valid: valid.token, validId: valid.id,
    access: userTokens.accessToken, refresh: userTokens.refreshToken, guest: readSessionCookie(guestClient.cookie)!.guestTokens[0]!,
    hash: (await db.doc(`invites/${valid.id}`).get()).get('tokenHash'),
  });
  await db.terminate();
});
afterAll(async () => { await reckon.close(); });

type Who = 'anonymous' | 'guest' | 'stranger' | 'stranger2' | 'stranger3' | 'otherAdmin' | 'member' | 'admin';
interface Case { name: string; who: Who; method?: string; path?: string; body?: unknown; raw?: string; headers?: Record<string, string | undefined>; status: number; code?: string }
interface RouteSpec { method: string; path: () => string; body?: unknown; adminOnly: boolean; memberOnly: boolean; extra: () => Case[] }

const clientOf = (who: Who): ApiClient => ({
  anonymous: new ApiClient(reckon), guest: guestClient, stranger: stranger.client, stranger2: strangers[0]!.client, stranger3: strangers[1]!.client, otherAdmin: otherAdmin.client, member: member.client, admin: admin.client,
})[who];

/** Cases every route shares: who may not call it, and input no route accepts. */
function commonCases(r: RouteSpec): Case[] {
  const cases: Case[] = [
    { name: 'anonymous', who: 'anonymous', body: r.body, status: 401, code: 'unauthenticated' },
    { name: 'a guest of a room of this team', who: 'guest', body: r.body, status: 401, code: 'unauthenticated' },
    { name: 'a forged session cookie', who: 'anonymous', body: r.body, headers: { cookie: `__session=${tokens.access}x~` }, status: 401 },
    { name: 'a huge body (70 KiB)', who: 'admin', raw: JSON.stringify({ name: 'x'.repeat(70_000) }), status: 413, code: 'body_too_large' },
    { name: 'a body that is not JSON', who: 'admin', raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'a __proto__ key', who: 'admin', raw: '{"__proto__": {"role": "admin"}, "role": "member"}', status: 400 },
    { name: 'an array body', who: 'admin', body: [r.body ?? {}], status: 400, code: 'invalid_request' },
    { name: 'a method the path does not have', who: 'admin', method: 'PUT', body: r.body, status: 405, code: 'method_not_allowed' },
    { name: 'extra path segments', who: 'admin', path: `${r.path()}/x/y/z`, body: r.body, status: 404, code: 'not_found' },
  ];
  // functions-framework's JSON parser answers malformed JSON itself (a 400), before Reckon sees it.
  if (r.body !== undefined) cases.push({ name: 'malformed JSON', who: 'admin', raw: '{"name": ', status: 400 });
  else cases.push({ name: 'a body on a route that takes none', who: 'admin', body: { role: 'admin' }, status: 400, code: 'invalid_request' });
  if (r.method !== 'GET') cases.push({ name: 'another site\'s Origin', who: 'admin', body: r.body, headers: { origin: 'https://evil.example' }, status: 403, code: 'origin_not_allowed' });
  if (r.body !== undefined) cases.push({ name: 'an unknown field', who: 'admin', body: { ...(r.body as object), isAdmin: true }, status: 400, code: 'invalid_request' });
  if (r.memberOnly) {
    cases.push(
      { name: 'a stranger', who: 'stranger', body: r.body, status: 404, code: 'not_found' },
      { name: 'another team\'s admin', who: 'otherAdmin', body: r.body, status: 404, code: 'not_found' },
      { name: 'a team id that does not exist', who: 'admin', path: r.path().replace(team, 'NoSuchTeam0000000000000'), body: r.body, status: 404, code: 'not_found' },
      { name: 'a team id that is not an id', who: 'admin', path: r.path().replace(team, 'a%24b'), body: r.body, status: 400, code: 'invalid_request' },
      { name: 'a team id of 65 characters', who: 'admin', path: r.path().replace(team, 'a'.repeat(65)), body: r.body, status: 400, code: 'invalid_request' },
    );
  }
  if (r.adminOnly) cases.push({ name: 'a member who is not admin', who: 'member', body: r.body, status: 403, code: 'forbidden' });
  return cases;
}

const routes: Record<string, RouteSpec> = {
  'POST /api/teams': {
    method: 'POST', path: () => '/api/teams', body: { name: 'New' }, adminOnly: false, memberOnly: false,
    extra: () => [
      { name: 'no name', who: 'stranger', body: {}, status: 400 },
      { name: 'an empty name', who: 'stranger', body: { name: '   ' }, status: 400 },
      { name: 'a name of 61 characters', who: 'stranger', body: { name: 'x'.repeat(61) }, status: 400 },
      { name: 'a name with a bidi override', who: 'stranger', body: { name: 'Team\u202eevil' }, status: 400 },
      { name: 'a name that is a number', who: 'stranger', body: { name: 42 }, status: 400 },
      { name: 'a tenantId of its choosing', who: 'stranger', body: { name: 'Mine', tenantId: team }, status: 400 },
      { name: 'no body', who: 'stranger', status: 400 },
    ],
  },
  'GET /api/teams/:tenantId': {
    method: 'GET', path: () => `/api/teams/${team}`, adminOnly: false, memberOnly: true,
    extra: () => [
      { name: 'another team, by this team\'s admin', who: 'admin', path: `/api/teams/${otherTeam}`, status: 404, code: 'not_found' },
      { name: 'a stranger\'s personal team', who: 'admin', path: `/api/teams/${stranger.tenant.tenantId}`, status: 404, code: 'not_found' },
    ],
  },
  'PATCH /api/teams/:tenantId': {
    method: 'PATCH', path: () => `/api/teams/${team}`, body: { name: 'Renamed' }, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'an empty name', who: 'admin', body: { name: '' }, status: 400 },
      { name: 'a null name', who: 'admin', body: { name: null }, status: 400 },
      { name: 'a zero-width space in the name', who: 'admin', body: { name: 'A\u200bB' }, status: 400 },
      { name: 'a personal flag', who: 'admin', body: { name: 'X', personal: true }, status: 400 },
      { name: 'an empty body', who: 'admin', body: {}, status: 400 },
      { name: 'a retention of 29 days', who: 'admin', body: { sessionRetentionDays: 29 }, status: 400 },
      { name: 'a retention of 3651 days', who: 'admin', body: { sessionRetentionDays: 3651 }, status: 400 },
      { name: 'a retention of 90.5 days', who: 'admin', body: { sessionRetentionDays: 90.5 }, status: 400 },
      { name: 'a retention given as text', who: 'admin', body: { sessionRetentionDays: '90' }, status: 400 },
      { name: 'a retention of "never"', who: 'admin', body: { sessionRetentionDays: 'never' }, status: 400 },
      { name: 'a null retention', who: 'admin', body: { sessionRetentionDays: null }, status: 400 },
      { name: 'a retention of 1e308 days', who: 'admin', raw: '{"sessionRetentionDays": 1e308}', status: 400 },
      { name: 'a valid retention with an invalid name', who: 'admin', body: { name: '', sessionRetentionDays: 90 }, status: 400 },
      { name: 'a retention, by a member who is not admin', who: 'member', body: { sessionRetentionDays: 90 }, status: 403, code: 'forbidden' },
      { name: 'a retention, by another team\'s admin', who: 'otherAdmin', body: { sessionRetentionDays: 90 }, status: 404, code: 'not_found' },
    ],
  },
  'POST /api/teams/:tenantId/invites': {
    method: 'POST', path: () => `/api/teams/${team}/invites`, body: { role: 'member' }, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'a role outside the set (owner)', who: 'admin', body: { role: 'owner' }, status: 400 },
      { name: 'a role in capitals', who: 'admin', body: { role: 'ADMIN' }, status: 400 },
      { name: 'no role', who: 'admin', body: {}, status: 400 },
      { name: 'expiresInDays 0', who: 'admin', body: { role: 'member', expiresInDays: 0 }, status: 400 },
      { name: 'expiresInDays 15', who: 'admin', body: { role: 'member', expiresInDays: 15 }, status: 400 },
      { name: 'expiresInDays 1.5', who: 'admin', body: { role: 'member', expiresInDays: 1.5 }, status: 400 },
      { name: 'expiresInDays as a string', who: 'admin', body: { role: 'member', expiresInDays: '7' }, status: 400 },
      { name: 'maxUses 0', who: 'admin', body: { role: 'member', maxUses: 0 }, status: 400 },
      { name: 'maxUses 101', who: 'admin', body: { role: 'member', maxUses: 101 }, status: 400 },
      { name: 'maxUses -1', who: 'admin', body: { role: 'member', maxUses: -1 }, status: 400 },
      { name: 'a token of its choosing', who: 'admin', body: { role: 'member', token: 'rki_mine' }, status: 400 },
    ],
  },
  'GET /api/teams/:tenantId/invites': {
    method: 'GET', path: () => `/api/teams/${team}/invites`, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'another team\'s invites, by this team\'s admin', who: 'admin', path: `/api/teams/${otherTeam}/invites`, status: 404, code: 'not_found' },
    ],
  },
  'DELETE /api/teams/:tenantId/invites/:id': {
    method: 'DELETE', path: () => `/api/teams/${team}/invites/${tokens.validId}`, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'another team\'s invite', who: 'admin', path: `/api/teams/${team}/invites/${otherInviteId}`, status: 404 },
      { name: 'another team\'s invite, through that team, by this admin', who: 'admin', path: `/api/teams/${otherTeam}/invites/${otherInviteId}`, status: 404 },
      { name: 'an invite that does not exist', who: 'admin', path: `/api/teams/${team}/invites/NoSuchInvite00000000000`, status: 404 },
      { name: 'an invite id that is not an id', who: 'admin', path: `/api/teams/${team}/invites/..%2F..`, status: 400 },
      { name: 'the invite token instead of its id', who: 'admin', path: `/api/teams/${team}/invites/${tokens.valid}`, status: 404 },
    ],
  },
  'POST /api/teams/invites/accept': {
    method: 'POST', path: () => '/api/teams/invites/accept', body: { token: 'rki_x' }, adminOnly: false, memberOnly: false,
    extra: () => [
      ...(['usedUp', 'revoked', 'expired', 'othersRevoked', 'access', 'refresh', 'guest', 'hash', 'validId'] as const)
        .map((k, i): Case => ({ name: `a ${k} token`, who: i < 5 ? 'stranger2' : 'stranger3', body: { token: tokens[k] }, status: 404, code: 'not_found' })),
      { name: 'a valid token with one character changed', who: 'stranger', body: { token: tokens.valid!.slice(0, -1) + (tokens.valid!.endsWith('A') ? 'B' : 'A') }, status: 404, code: 'not_found' },
      { name: 'a valid token in capitals', who: 'stranger', body: { token: tokens.valid!.toUpperCase() }, status: 404, code: 'not_found' },
      { name: 'a valid token with a space', who: 'stranger', body: { token: ` ${tokens.valid}` }, status: 404, code: 'not_found' },
      { name: 'the whole invite URL', who: 'stranger', body: { token: `${reckon.url}/#/invite/${tokens.valid}` }, status: 404, code: 'not_found' },
      { name: 'a valid token, by someone already in the team', who: 'member', body: { token: tokens.valid }, status: 409, code: 'conflict' },
      { name: 'a valid token, by its admin', who: 'admin', body: { token: tokens.valid }, status: 409, code: 'conflict' },
      { name: 'an empty token', who: 'stranger', body: { token: '' }, status: 400 },
      { name: 'a token of 3,000 characters', who: 'stranger', body: { token: 'a'.repeat(3000) }, status: 400 },
      { name: 'a token that is an object', who: 'stranger', body: { token: { $ne: null } }, status: 400 },
      { name: 'a role of its choosing', who: 'stranger', body: { token: tokens.valid, role: 'admin' }, status: 400 },
    ],
  },
  'PATCH /api/teams/:tenantId/members/:uid': {
    method: 'PATCH', path: () => `/api/teams/${team}/members/${member.user.uid}`, body: { role: 'admin' }, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'a role outside the set', who: 'admin', body: { role: 'owner' }, status: 400 },
      { name: 'a null role', who: 'admin', body: { role: null }, status: 400 },
      { name: 'the member promoting themselves', who: 'member', body: { role: 'admin' }, status: 403 },
      { name: 'the last admin demoting themselves', who: 'admin', path: `/api/teams/${team}/members/${admin.user.uid}`, body: { role: 'member' }, status: 409, code: 'last_admin' },
      { name: 'a member of another team', who: 'admin', path: `/api/teams/${team}/members/${otherAdmin.user.uid}`, body: { role: 'member' }, status: 404 },
      { name: 'another team\'s admin demoting their own admin through this team', who: 'otherAdmin', path: `/api/teams/${team}/members/${otherAdmin.user.uid}`, body: { role: 'admin' }, status: 404 },
      { name: 'a uid that does not exist', who: 'admin', path: `/api/teams/${team}/members/NoSuchUser000000000000`, body: { role: 'member' }, status: 404 },
    ],
  },
  'DELETE /api/teams/:tenantId/members/:uid': {
    method: 'DELETE', path: () => `/api/teams/${team}/members/${admin.user.uid}`, adminOnly: false, memberOnly: true,
    extra: () => [
      { name: 'the last admin leaving', who: 'admin', status: 409, code: 'last_admin' },
      { name: 'a member removing the admin', who: 'member', status: 403, code: 'forbidden' },
      { name: 'a member of another team', who: 'admin', path: `/api/teams/${team}/members/${otherAdmin.user.uid}`, status: 404 },
      { name: 'another team\'s admin removing a member here', who: 'otherAdmin', path: `/api/teams/${team}/members/${member.user.uid}`, status: 404 },
      { name: 'a stranger leaving a team they are not in', who: 'stranger', path: `/api/teams/${team}/members/${stranger.user.uid}`, status: 404 },
      { name: 'an admin removing someone from another team', who: 'admin', path: `/api/teams/${otherTeam}/members/${otherAdmin.user.uid}`, status: 404 },
      { name: 'a uid that is not an id', who: 'admin', path: `/api/teams/${team}/members/a.b`, status: 400 },
    ],
  },
  'GET /api/teams/:tenantId/audit': {
    method: 'GET', path: () => `/api/teams/${team}/audit`, adminOnly: true, memberOnly: true,
    extra: () => [
      { name: 'a limit of 0', who: 'admin', path: `/api/teams/${team}/audit?limit=0`, status: 400 },
      { name: 'a limit of 201', who: 'admin', path: `/api/teams/${team}/audit?limit=201`, status: 400 },
      { name: 'a cursor that is not one', who: 'admin', path: `/api/teams/${team}/audit?before=yesterday`, status: 400 },
      { name: 'a cursor past the last instant Firestore stores (year 9999)', who: 'admin', path: `/api/teams/${team}/audit?before=999999999999999.abc`, status: 400 },
      { name: 'an unknown format', who: 'admin', path: `/api/teams/${team}/audit?format=xlsx`, status: 400 },
      { name: 'an unknown parameter', who: 'admin', path: `/api/teams/${team}/audit?tenantId=${otherTeam}`, status: 400 },
      { name: 'the CSV, by a member', who: 'member', path: `/api/teams/${team}/audit?format=csv`, status: 403 },
      { name: 'the CSV, by another team\'s admin', who: 'otherAdmin', path: `/api/teams/${team}/audit?format=csv`, status: 404 },
    ],
  },
};

describeHostileRoutes(() => reckon, routes, (route) => [...commonCases(route), ...route.extra()], (c) => clientOf(c.who));
