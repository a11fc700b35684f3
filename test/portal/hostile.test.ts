// Every portal route attacked (issue #17, "Bad input and abuse"): each persona that may not call
// it (portal users of this and of another client, another team's, members, strangers, guests),
// malformed, huge and hostile input, and route-specific abuse (links of every wrong kind, another
// tenant's link, other clients' things). Each call is refused with its status, and the whole
// database (rate-limit counters aside) is compared before and after: nothing changed.
import { beforeAll, afterAll } from 'vitest';
import { Timestamp } from '@google-cloud/firestore';
import { ApiClient, registeredClient, startReckon, type Reckon } from '../support/reckon.js';
import { newFirestore } from '../support/firestore.js';
import { addIssues, guest, newSession } from '../support/rooms.js';
import { readSessionCookie } from '../../shared/http/cookies.js';
import { getConfig } from '../../shared/config/config.js';
import { signPortalLinkToken } from '../../shared/security/portal-tokens.js';
import { newInvite } from '../teams/support.js';
import { describeHostileRoutes } from '../teams/support.js';
import { newClient, newLink, portalUser, redeem, type Person } from './support.js';

let reckon: Reckon;
let admin: Person; let member: Person; let stranger: Person; let otherAdmin: Person; let pa: Person; let pb: Person; let pc: Person;
let guestClient: ApiClient;
let team: string; let acme: string; let globex: string; let theirs: string;
const ids = { session: '', issue: '', open: '', none: '', noneIssue: '', globexSession: '', globexIssue: '', link: '', theirLink: '', usedLink: '' };
const tokens: Record<string, string> = {};

beforeAll(async () => {
  reckon = await startReckon();
  [admin, stranger, otherAdmin] = await Promise.all([registeredClient(reckon), registeredClient(reckon), registeredClient(reckon)]);
  team = admin.tenant.tenantId;
  const { teammate } = await import('../support/rooms.js');
  member = await teammate(reckon, admin, 'member');
  acme = await newClient(admin, team, 'Acme');
  globex = await newClient(admin, team, 'Globex');
  theirs = await newClient(otherAdmin, otherAdmin.tenant.tenantId, 'Theirs');
  const s = await newSession(admin, { clientId: acme });
  ids.session = s.id;
  [ids.issue, ids.open] = await addIssues(admin, s.id, ['Done', 'Open']) as [string, string];
  await admin.client.post(`/api/sessions/${s.id}/finalize`, { issueId: ids.issue, estimate: '5' });
  ids.none = (await newSession(admin, { name: 'Internal' })).id;
  [ids.noneIssue] = await addIssues(admin, ids.none, ['Internal']) as [string];
  await admin.client.post(`/api/sessions/${ids.none}/finalize`, { issueId: ids.noneIssue, estimate: '3' });
  ids.globexSession = (await newSession(admin, { clientId: globex, name: 'Globex' })).id;
  [ids.globexIssue] = await addIssues(admin, ids.globexSession, ['Globex']) as [string];
  await admin.client.post(`/api/sessions/${ids.globexSession}/finalize`, { issueId: ids.globexIssue, estimate: '8' });
  pa = await portalUser(reckon, admin, acme);
  pb = await portalUser(reckon, admin, globex);
  pc = await portalUser(reckon, otherAdmin, theirs);
  guestClient = (await guest(reckon, s.joinCode)).client;
  const used = await newLink(admin, acme);
  await redeem(await registeredClient(reckon), used.token);
  ids.usedLink = used.id;
  const revoked = await newLink(admin, acme);
  await admin.client.delete(`/api/portal/clients/${acme}/links/${revoked.id}`);
  const expired = await newLink(admin, acme);
  const db = newFirestore({ projectId: reckon.projectId });
  await db.doc(`portalLinks/${expired.id}`).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1000) });
  await db.terminate();
  const valid = await newLink(admin, acme);
  ids.link = valid.id;
  const theirLink = await newLink(otherAdmin, theirs);
  ids.theirLink = theirLink.id;
  const config = getConfig();
  const now = Date.now();
  const userTokens = readSessionCookie(member.client.cookie)!.user!;
  Object.assign(tokens, {
    used: used.token, revoked: revoked.token, expired: expired.token, valid: valid.token,
    expiredJwt: await signPortalLinkToken({ linkId: valid.id, tenantId: team, clientId: acme }, now - 60_000, config, now - 86_400_000),
    otherTenant: await signPortalLinkToken({ linkId: theirLink.id, tenantId: team, clientId: acme }, now + 86_400_000, config, now),
    otherClient: await signPortalLinkToken({ linkId: valid.id, tenantId: team, clientId: globex }, now + 86_400_000, config, now),
    access: userTokens.accessToken, refresh: userTokens.refreshToken, guest: readSessionCookie(guestClient.cookie)!.guestTokens[0]!,
    invite: (await newInvite(admin, team)).token,
    unsigned: `${Buffer.from('{"alg":"none","typ":"reckon-portal-link+jwt"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: valid.id, tid: team, cid: acme })).toString('base64url')}.`,
  });
});
afterAll(async () => { await reckon.close(); });

type Who = 'anonymous' | 'guest' | 'stranger' | 'otherAdmin' | 'member' | 'admin' | 'pa' | 'pb' | 'pc';
interface Case { name: string; who: Who; method?: string; path?: string; body?: unknown; raw?: string; headers?: Record<string, string | undefined>; status: number; code?: string }
/** `kind`: a team admin's route, a team member's, the portal user's, or any signed-in user's. */
interface RouteSpec { method: string; path: () => string; body?: unknown; kind: 'admin' | 'member' | 'portal' | 'account'; extra: () => Case[] }

const clientOf = (who: Who): ApiClient => ({
  anonymous: new ApiClient(reckon), guest: guestClient, stranger: stranger.client, otherAdmin: otherAdmin.client, member: member.client, admin: admin.client, pa: pa.client, pb: pb.client, pc: pc.client,
})[who];

function commonCases(r: RouteSpec): Case[] {
  const me: Who = r.kind === 'portal' ? 'pa' : r.kind === 'account' ? 'stranger' : 'admin';
  const cases: Case[] = [
    { name: 'anonymous', who: 'anonymous', body: r.body, status: 401, code: 'unauthenticated' },
    { name: 'a guest of a room of the client', who: 'guest', body: r.body, status: 401, code: 'unauthenticated' },
    { name: 'a forged session cookie', who: 'anonymous', body: r.body, headers: { cookie: `__session=${tokens.access}x~` }, status: 401 },
    { name: 'a huge body (70 KiB)', who: me, raw: JSON.stringify({ name: 'x'.repeat(70_000) }), status: 413, code: 'body_too_large' },
    { name: 'a body that is not JSON', who: me, raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'a __proto__ key', who: me, raw: '{"__proto__": {"admin": true}, "decision": "approved"}', status: 400 },
    { name: 'an array body', who: me, body: [r.body ?? {}], status: 400, code: 'invalid_request' },
    { name: 'a method the path does not have', who: me, method: 'PUT', body: r.body, status: 405, code: 'method_not_allowed' },
    { name: 'extra path segments', who: me, path: r.path().replace(/(\?|$)/, '/x/y/z$1'), body: r.body, status: 404, code: 'not_found' },
  ];
  if (r.body !== undefined) cases.push({ name: 'malformed JSON', who: me, raw: '{"name": ', status: 400 }, { name: 'an unknown field', who: me, body: { ...(r.body as object), isAdmin: true }, status: 400, code: 'invalid_request' });
  else cases.push({ name: 'a body on a route that takes none', who: me, body: { clientId: globex }, status: 400, code: 'invalid_request' });
  if (r.method !== 'GET') cases.push({ name: 'another site\'s Origin', who: me, body: r.body, headers: { origin: 'https://evil.example' }, status: 403, code: 'origin_not_allowed' });
  if (r.kind === 'admin' || r.kind === 'member') {
    cases.push(
      { name: 'a stranger', who: 'stranger', body: r.body, status: 404, code: 'not_found' },
      { name: 'another team\'s admin', who: 'otherAdmin', body: r.body, status: 404, code: 'not_found' },
      { name: 'a portal user of this client', who: 'pa', body: r.body, status: 404, code: 'not_found' },
      { name: 'a portal user of another client of the team', who: 'pb', body: r.body, status: 404, code: 'not_found' },
      { name: 'a portal user of another team\'s client', who: 'pc', body: r.body, status: 404, code: 'not_found' },
    );
  }
  if (r.kind === 'admin') cases.push({ name: 'a member who is not admin', who: 'member', body: r.body, status: 403, code: 'forbidden' });
  if (r.kind === 'portal') {
    cases.push(
      { name: 'the team\'s admin (not a portal user)', who: 'admin', body: r.body, status: 404, code: 'not_found' },
      { name: 'a team member', who: 'member', body: r.body, status: 404, code: 'not_found' },
      { name: 'a stranger', who: 'stranger', body: r.body, status: 404, code: 'not_found' },
      { name: 'a portal user of another client of the team', who: 'pb', body: r.body, status: 404, code: 'not_found' },
      { name: 'a portal user of another team\'s client', who: 'pc', body: r.body, status: 404, code: 'not_found' },
      { name: 'the portal user asking for another client of the team', who: 'pa', path: r.path().replace(acme, globex), body: r.body, status: 404, code: 'not_found' },
      { name: 'the portal user asking for another team\'s client', who: 'pa', path: r.path().replace(acme, theirs), body: r.body, status: 404, code: 'not_found' },
    );
  }
  if (r.path().includes(acme)) {
    const who: Who = r.kind === 'portal' ? 'pa' : 'admin';
    cases.push(
      { name: 'a client that does not exist', who, path: r.path().replace(acme, 'NoSuchClient000000000000'), body: r.body, status: 404, code: 'not_found' },
      { name: 'a client id that is not an id', who, path: r.path().replace(acme, 'a%24b'), body: r.body, status: 400, code: 'invalid_request' },
      { name: 'a client id of 65 characters', who, path: r.path().replace(acme, 'a'.repeat(65)), body: r.body, status: 400, code: 'invalid_request' },
    );
    if (r.kind === 'admin') cases.push({ name: 'another team\'s client, by this team\'s admin', who: 'admin', path: r.path().replace(acme, theirs), body: r.body, status: 404, code: 'not_found' });
  }
  return cases;
}

const approval = () => `/api/portal/${acme}/estimates/${ids.session}/${ids.issue}/approval`;
const routes: Record<string, RouteSpec> = {
  'POST /api/portal/clients': {
    method: 'POST', path: () => '/api/portal/clients', get body() { return { tenantId: team, name: 'New' }; }, kind: 'admin',
    extra: () => [
      { name: 'another team', who: 'admin', body: { tenantId: otherAdmin.tenant.tenantId, name: 'Mine' }, status: 404 },
      { name: 'an empty name', who: 'admin', body: { tenantId: team, name: '  ' }, status: 400 },
      { name: 'a name of 61 characters', who: 'admin', body: { tenantId: team, name: 'x'.repeat(61) }, status: 400 },
      { name: 'a bidi override in the name', who: 'admin', body: { tenantId: team, name: 'A\u202eB' }, status: 400 },
      { name: 'an id of its choosing', who: 'admin', body: { tenantId: team, name: 'X', id: acme }, status: 400 },
    ],
  },
  'GET /api/portal/clients': {
    method: 'GET', path: () => `/api/portal/clients?tenantId=${team}`, kind: 'member',
    extra: () => [
      { name: 'another team\'s clients', who: 'admin', path: `/api/portal/clients?tenantId=${otherAdmin.tenant.tenantId}`, status: 404 },
      { name: 'no tenant', who: 'admin', path: '/api/portal/clients', status: 400 },
      { name: 'a tenant that is not an id', who: 'admin', path: '/api/portal/clients?tenantId=a.b', status: 400 },
    ],
  },
  'PATCH /api/portal/clients/:clientId': {
    method: 'PATCH', path: () => `/api/portal/clients/${acme}`, body: { name: 'Renamed' }, kind: 'admin',
    extra: () => [
      { name: 'nothing to change', who: 'admin', body: {}, status: 400 },
      { name: 'archived as a string', who: 'admin', body: { archived: 'yes' }, status: 400 },
      { name: 'moving it to another tenant', who: 'admin', body: { tenantId: otherAdmin.tenant.tenantId }, status: 400 },
    ],
  },
  'GET /api/portal/clients/:clientId/users': { method: 'GET', path: () => `/api/portal/clients/${acme}/users`, kind: 'admin', extra: () => [] },
  'DELETE /api/portal/clients/:clientId/users/:uid': {
    method: 'DELETE', path: () => `/api/portal/clients/${acme}/users/${pa.user.uid}`, kind: 'admin',
    extra: () => [
      { name: 'a portal user of another client', who: 'admin', path: `/api/portal/clients/${acme}/users/${pb.user.uid}`, status: 404 },
      { name: 'another team\'s portal user, through their client', who: 'admin', path: `/api/portal/clients/${theirs}/users/${pc.user.uid}`, status: 404 },
      { name: 'a portal user removing themselves', who: 'pa', status: 404 },
      { name: 'a uid that is not an id', who: 'admin', path: `/api/portal/clients/${acme}/users/a.b`, status: 400 },
    ],
  },
  'POST /api/portal/clients/:clientId/links': {
    method: 'POST', path: () => `/api/portal/clients/${acme}/links`, body: { expiresInDays: 7 }, kind: 'admin',
    extra: () => [
      { name: 'expiresInDays 0', who: 'admin', body: { expiresInDays: 0 }, status: 400 },
      { name: 'expiresInDays 31', who: 'admin', body: { expiresInDays: 31 }, status: 400 },
      { name: 'expiresInDays 1.5', who: 'admin', body: { expiresInDays: 1.5 }, status: 400 },
      { name: 'a note of 201 characters', who: 'admin', body: { note: 'x'.repeat(201) }, status: 400 },
      { name: 'a client of its choosing in the body', who: 'admin', body: { clientId: globex }, status: 400 },
    ],
  },
  'GET /api/portal/clients/:clientId/links': { method: 'GET', path: () => `/api/portal/clients/${acme}/links`, kind: 'admin', extra: () => [] },
  'DELETE /api/portal/clients/:clientId/links/:linkId': {
    method: 'DELETE', path: () => `/api/portal/clients/${acme}/links/${ids.link}`, kind: 'admin',
    extra: () => [
      { name: 'another team\'s link through this client', who: 'admin', path: `/api/portal/clients/${acme}/links/${ids.theirLink}`, status: 404 },
      { name: 'this link through another client of the team', who: 'admin', path: `/api/portal/clients/${globex}/links/${ids.link}`, status: 404 },
      { name: 'the link token instead of its id', who: 'admin', path: `/api/portal/clients/${acme}/links/${tokens.valid}`, status: 400 },
      { name: 'a link already used (its access is given)', who: 'admin', path: `/api/portal/clients/${acme}/links/${ids.usedLink}`, status: 409, code: 'conflict' },
    ],
  },
  'POST /api/portal/links/redeem': {
    method: 'POST', path: () => '/api/portal/links/redeem', body: { token: 'x' }, kind: 'account',
    extra: () => [
      ...(['used', 'revoked', 'expired', 'expiredJwt', 'otherTenant', 'otherClient', 'access', 'refresh', 'guest', 'invite', 'unsigned'] as const)
        // Spread over people, each under the limit of 10 redeems in 10 minutes.
        .map((k, n): Case => ({ name: `a ${k} token`, who: n < 6 ? 'stranger' : 'otherAdmin', body: { token: tokens[k] }, status: 404, code: 'not_found' })),
      { name: 'a valid token with its signature changed', who: 'pb', body: { token: tokens.valid!.slice(0, -3) + (tokens.valid!.endsWith('AAA') ? 'BBB' : 'AAA') }, status: 404, code: 'not_found' },
      { name: 'the whole link URL', who: 'pb', body: { token: `${reckon.url}/#/portal/link/${tokens.valid}` }, status: 404, code: 'not_found' },
      { name: 'a valid link by someone who already has this client', who: 'pa', body: { token: tokens.valid }, status: 409, code: 'conflict' },
      { name: 'an empty token', who: 'stranger', body: { token: '' }, status: 400 },
      { name: 'a token of 5,000 characters', who: 'stranger', body: { token: 'a'.repeat(5000) }, status: 400 },
      { name: 'a token that is an object', who: 'stranger', body: { token: { $ne: null } }, status: 400 },
    ],
  },
  'GET /api/portal/access': {
    method: 'GET', path: () => '/api/portal/access', kind: 'account',
    extra: () => [
      { name: 'POST', who: 'pa', method: 'POST', status: 405 },
      { name: 'DELETE', who: 'pa', method: 'DELETE', status: 405 },
      { name: 'a trailing slash', who: 'pa', path: '/api/portal/access/', status: 404 },
      { name: 'a cookie holding a portal link token', who: 'anonymous', headers: { cookie: `__session=${tokens.valid}` }, status: 401 },
      { name: 'a cookie holding a refresh token alone', who: 'anonymous', headers: { cookie: `__session=${tokens.refresh}` }, status: 401 },
    ],
  },
  'GET /api/portal/:clientId/estimates': {
    method: 'GET', path: () => `/api/portal/${acme}/estimates`, kind: 'portal',
    extra: () => [
      { name: 'a status outside the set', who: 'pa', path: `/api/portal/${acme}/estimates?status=secret`, status: 400 },
      { name: 'a cursor that is not one', who: 'pa', path: `/api/portal/${acme}/estimates?cursor=1`, status: 400 },
      { name: 'a tenant of its choosing', who: 'pa', path: `/api/portal/${acme}/estimates?tenantId=${team}`, status: 400 },
    ],
  },
  'POST /api/portal/:clientId/estimates/:sessionId/:issueId/approval': {
    method: 'POST', path: approval, body: { decision: 'approved' }, kind: 'portal',
    extra: () => [
      { name: 'an issue not finalized', who: 'pa', path: `/api/portal/${acme}/estimates/${ids.session}/${ids.open}/approval`, body: { decision: 'approved' }, status: 404 },
      { name: 'an unassigned session\'s issue', who: 'pa', path: `/api/portal/${acme}/estimates/${ids.none}/${ids.noneIssue}/approval`, body: { decision: 'approved' }, status: 404 },
      { name: 'another client\'s issue through this client', who: 'pa', path: `/api/portal/${acme}/estimates/${ids.globexSession}/${ids.globexIssue}/approval`, body: { decision: 'approved' }, status: 404 },
      { name: 'another session\'s issue under this session', who: 'pa', path: `/api/portal/${acme}/estimates/${ids.session}/${ids.globexIssue}/approval`, body: { decision: 'approved' }, status: 404 },
      { name: 'a decision outside the set', who: 'pa', body: { decision: 'maybe' }, status: 400 },
      { name: 'no decision', who: 'pa', body: { comment: 'hm' }, status: 400 },
      { name: 'a 10 KiB comment', who: 'pa', body: { decision: 'declined', comment: 'x'.repeat(10_240) }, status: 400 },
      { name: 'a name of its choosing', who: 'pa', body: { decision: 'approved', by: { displayName: 'The CEO' } }, status: 400 },
    ],
  },
  'PATCH /api/sessions/:id (client assignment)': {
    method: 'PATCH', path: () => `/api/sessions/${ids.session}`, body: { clientId: null }, kind: 'admin',
    extra: () => [
      { name: 'another team\'s client', who: 'admin', body: { clientId: theirs }, status: 404 },
      { name: 'a client id that is not an id', who: 'admin', body: { clientId: '../x' }, status: 400 },
      { name: 'a client id that is a number', who: 'admin', body: { clientId: 7 }, status: 400 },
      { name: 'renaming through it', who: 'admin', body: { clientId: null, name: 'x' }, status: 400 },
    ],
  },
};

describeHostileRoutes(() => reckon, routes, (route) => [...commonCases(route), ...route.extra()], (c) => clientOf(c.who));
