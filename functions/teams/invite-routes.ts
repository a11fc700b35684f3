// Invite links: admins create them (the token is shown once, in the URL's fragment, and stored
// only as a hash), list and revoke them; a signed-in person accepts one and joins the team.
// A wrong, expired, used-up, revoked or foreign token answers one and the same 404.
import { createHash, randomBytes } from 'node:crypto';
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { AcceptInviteBody, CreateInviteBody, InvitePath, TeamPath } from '../../shared/schemas/teams.js';
import { INVITE_TOKEN, inviteStatus, inviteUrl } from '../../shared/domain/teams.js';
import { newId } from '../../shared/security/tokens.js';
import { getDb } from '../../shared/store/firestore.js';
import { commitInviteUse, createInviteIn, findInviteByTokenHash, getInvite, listInvites, revokeInviteIn, takeInviteUseIn, type InviteRecord } from '../../shared/store/invites.js';
import { createMembershipIn, getMembership } from '../../shared/store/memberships.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { callerOf, requireAdmin } from './access.js';
import { manageLimits, teamOrNotFound } from './team-routes.js';
import { inviteView, membershipView } from './views.js';

const CREATE_LIMIT: RateLimit = { name: 'teams:invite:user', max: 30, windowS: 3600 };
const ACCEPT_USER_LIMIT: RateLimit = { name: 'teams:accept:user', max: 10, windowS: 600 };
const ACCEPT_IP_LIMIT: RateLimit = { name: 'teams:accept:ip', max: 30, windowS: 600 };
/** Accepts that lose a race for a use re-read the invite; after this many, the caller is told to retry. */
const ACCEPT_ATTEMPTS = 8;

const noSuchInvite = () => new HttpError('not_found', 'This invite link is not valid (it may have expired, been used or been revoked).');
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const create = defineRoute({
  method: 'POST', path: '/api/teams/:tenantId/invites', permission: 'team.admin', params: TeamPath, body: CreateInviteBody,
  rateLimits: (_in, ctx) => [{ limit: CREATE_LIMIT, subject: ctx.principal!.uid }],
  async handler({ params, body }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    const token = `rki_${randomBytes(32).toString('base64url')}`;
    const invite: InviteRecord = {
      id: newId(), tenantId: params.tenantId, role: body.role, tokenHash: hashToken(token), expiresAt: ctx.now + body.expiresInDays * 86_400_000,
      maxUses: body.maxUses, uses: 0, createdBy: callerOf(ctx), createdAt: ctx.now, revokedAt: null,
    };
    const batch = getDb().batch();
    createInviteIn(batch, invite);
    recordAuditIn(batch, {
      tenantId: invite.tenantId, at: ctx.now, actorUid: invite.createdBy, action: 'invite.created', target: { type: 'invite', id: invite.id },
      details: { role: invite.role, maxUses: invite.maxUses, expiresAt: new Date(invite.expiresAt).toISOString() },
    });
    await batch.commit();
    return { status: 201, body: { invite: inviteView(invite, ctx.now), url: inviteUrl(ctx.config.siteOrigin, token) } };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/teams/:tenantId/invites', permission: 'team.admin', params: TeamPath,
  async handler({ params }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    return { body: { invites: (await listInvites(params.tenantId)).map((i) => inviteView(i, ctx.now)) } };
  },
});

const revoke = defineRoute({
  method: 'DELETE', path: '/api/teams/:tenantId/invites/:id', permission: 'team.admin', params: InvitePath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    const invite = await getInvite(params.tenantId, params.id);
    if (!invite) throw new HttpError('not_found', 'No such invite.');
    if (invite.revokedAt !== null) return { status: 204 };
    const batch = getDb().batch();
    revokeInviteIn(batch, invite.id, ctx.now);
    recordAuditIn(batch, { tenantId: invite.tenantId, at: ctx.now, actorUid: callerOf(ctx), action: 'invite.revoked', target: { type: 'invite', id: invite.id }, details: { role: invite.role, uses: invite.uses } });
    await batch.commit();
    return { status: 204 };
  },
});

/**
 * Joins the team: one batch creates the membership (create(): once per person), takes the next
 * use slot of the invite (create(): each slot once, so never more than maxUses) and counts it,
 * provided the invite is still as read (not revoked meanwhile). Whoever loses a race re-reads:
 * a used-up or revoked invite then answers 404, a second accept 409.
 */
const accept = defineRoute({
  method: 'POST', path: '/api/teams/invites/accept', permission: 'account', body: AcceptInviteBody,
  rateLimits: (_in, ctx) => [{ limit: ACCEPT_USER_LIMIT, subject: ctx.principal!.uid }, { limit: ACCEPT_IP_LIMIT, subject: ctx.clientNetwork }],
  async handler({ body }, ctx) {
    if (!INVITE_TOKEN.test(body.token)) throw noSuchInvite();
    const uid = callerOf(ctx);
    const tokenHash = hashToken(body.token);
    for (let attempt = 0; attempt < ACCEPT_ATTEMPTS; attempt++) {
      const invite = await findInviteByTokenHash(tokenHash);
      if (!invite || inviteStatus(invite, ctx.now) !== 'active') throw noSuchInvite();
      // A link lives only as long as its maker's admin role (member-routes.ts revokes it soon after).
      if ((await getMembership(invite.tenantId, invite.createdBy))?.role !== 'admin') throw noSuchInvite();
      if (await getMembership(invite.tenantId, uid)) throw new HttpError('conflict', 'You are already in this team.');
      const batch = getDb().batch();
      createMembershipIn(batch, invite.tenantId, uid, invite.role, ctx.now);
      takeInviteUseIn(batch, invite, invite.uses, uid, ctx.now);
      recordAuditIn(batch, { tenantId: invite.tenantId, at: ctx.now, actorUid: uid, action: 'invite.accepted', target: { type: 'invite', id: invite.id }, details: { role: invite.role } });
      if (await commitInviteUse(batch)) {
        const team = await teamOrNotFound(invite.tenantId);
        return { body: { membership: membershipView({ tenantId: invite.tenantId, uid, role: invite.role, joinedAt: ctx.now }, team.name) } };
      }
    }
    throw new HttpError('conflict', 'Many people are joining at once; try again.');
  },
});

export const inviteRoutes: Route[] = [accept, create, list, revoke];
