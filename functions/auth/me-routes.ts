// The signed-in user's own data: read it, export it, erase it.
import { defineRoute } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { EraseBody, type MeResponse } from '../../shared/schemas/auth.js';
import { planErase } from '../../shared/domain/accounts.js';
import { pruneNetworks } from '../../shared/domain/known-networks.js';
import { verifyPassword } from '../../shared/security/passwords.js';
import { getUser, deleteUser, endAccessTokens } from '../../shared/store/users.js';
import { listMembershipsOfUser, listMembersOfTenant, setRole, removeMembership } from '../../shared/store/memberships.js';
import { forgetMemberActivity } from '../../shared/store/member-activity.js';
import { getTenants, deleteTenant } from '../../shared/store/tenants.js';
import { listPortalAccessOfUser } from '../../shared/store/portal-access.js';
import { portalAccessOf } from '../../shared/access/portal.js';
import { deleteAllOfUser, listForExport } from '../../shared/store/refresh-tokens.js';
import { eraseFromTeams } from '../../shared/rooms/erasure.js';
import { erasePortalTraces } from '../../shared/rooms/portal-erasure.js';
import { roomsOfUser } from './export-rooms.js';
import { publicUser } from './views.js';

const ERASE_LIMIT: RateLimit = { name: 'erase:principal', max: 10, windowS: 900 };

async function loadUser(uid: string) {
  const user = await getUser(uid);
  if (!user) throw new HttpError('unauthenticated', 'This account no longer exists.');
  return user;
}

export const me = defineRoute({
  method: 'GET', path: '/api/auth/me', permission: 'account',
  async handler(_in, ctx) {
    const uid = ctx.principal!.uid;
    const [user, memberships, portal] = await Promise.all([loadUser(uid), listMembershipsOfUser(uid), portalAccessOf(uid)]);
    const names = new Map((await getTenants(memberships.map((m) => m.tenantId))).map((t) => [t.tenantId, t.name]));
    const body: MeResponse = {
      user: publicUser(user),
      memberships: memberships.map((m) => ({ tenantId: m.tenantId, tenantName: names.get(m.tenantId) ?? '', role: m.role })),
      portal,
    };
    return { body };
  },
});

export const exportMe = defineRoute({
  method: 'GET', path: '/api/auth/me/export', permission: 'account',
  async handler(_in, ctx) {
    const uid = ctx.principal!.uid;
    const [user, memberships, portal, refreshTokens, rooms] = await Promise.all([loadUser(uid), listMembershipsOfUser(uid), listPortalAccessOfUser(uid), listForExport(uid), roomsOfUser(uid)]);
    const tenants = await getTenants(memberships.map((m) => m.tenantId));
    const body = {
      exportedAt: new Date(ctx.now).toISOString(),
      user: publicUser(user),
      memberships: memberships.map((m) => ({ tenantId: m.tenantId, uid: m.uid, role: m.role, joinedAt: new Date(m.joinedAt).toISOString(), tenantName: tenants.find((t) => t.tenantId === m.tenantId)?.name })),
      portalAccess: portal.map((p) => ({ tenantId: p.tenantId, clientId: p.clientId })),
      sessionsSignedIn: refreshTokens,
      // The networks signed in from (a sign-in there skips the per-account slow-down), as the
      // login check sees them: an entry past 90 days counts for nothing and is not listed, though
      // it stays stored until the account's next sign-in rewrites the map.
      knownNetworks: Object.entries(pruneNetworks(user.knownNetworks, ctx.now)).sort(([, a], [, b]) => b - a)
        .map(([network, at]) => ({ network, lastSignInAt: new Date(at).toISOString() })),
      rooms: rooms.rooms,
      ownedSessions: rooms.ownedSessions,
    };
    return { body, headers: { 'Content-Disposition': 'attachment; filename="reckon-account-export.json"' } };
  },
});

export const eraseMe = defineRoute({
  method: 'DELETE', path: '/api/auth/me', permission: 'account', body: EraseBody,
  rateLimits: (_in, ctx) => [{ limit: ERASE_LIMIT, subject: ctx.principal?.uid ?? ctx.clientNetwork }],
  async handler({ body }, ctx) {
    const uid = ctx.principal!.uid;
    const user = await loadUser(uid);
    if (!(await verifyPassword(user.passwordHash, body.password))) throw new HttpError('invalid_credentials', 'The password is not right.');
    const memberships = await listMembershipsOfUser(uid);
    const tenants = await Promise.all(memberships.map(async (m) => ({ tenantId: m.tenantId, members: await listMembersOfTenant(m.tenantId) })));
    const plan = planErase(uid, tenants);
    for (const tenantId of plan.deleteTenants) await deleteTenant(tenantId);
    for (const h of plan.handOver) {
      await setRole(h.tenantId, h.toUid, 'admin');
      await endAccessTokens(h.toUid); // a role change: their next request refreshes into the new role
    }
    const kept = [...plan.handOver.map((h) => h.tenantId), ...plan.leave];
    for (const tenantId of kept) await Promise.all([removeMembership(tenantId, uid), forgetMemberActivity(tenantId, uid)]);
    await eraseFromTeams(uid, kept, ctx.now);
    await erasePortalTraces(uid, ctx.now);
    await deleteAllOfUser(uid);
    await deleteUser(user);
    // The device token goes too: it names an account that no longer exists.
    return { status: 204, session: 'erase' };
  },
});
