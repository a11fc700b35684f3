// Members: admins change roles and remove members; a member may remove themselves (leave). The
// last admin can neither leave nor be demoted. Every change ends the person's access tokens in
// the same batch, so the new role applies at once, and is recorded in the audit log.
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { ChangeRoleBody, MemberPath } from '../../shared/schemas/teams.js';
import { adminsToHold, leavesNoAdmin, sessionHeir } from '../../shared/domain/teams.js';
import type { Role } from '../../shared/security/tokens.js';
import { getDb, isPreconditionFailure } from '../../shared/store/firestore.js';
import { forgetMemberActivityIn } from '../../shared/store/member-activity.js';
import { changeRoleIn, deleteMembershipIn, holdMembershipIn, listStoredMembersOfTenant, type StoredMembership } from '../../shared/store/memberships.js';
import { endAccessTokensIn } from '../../shared/store/users.js';
import { passOwnershipIn, sessionsOwnedBy } from '../../shared/store/session-ownership.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { revokeInviteIn, unrevokedInvitesBy } from '../../shared/store/invites.js';
import { callerOf, requireAdmin, requireAdminOrSelf } from './access.js';
import { manageLimits, teamOrNotFound } from './team-routes.js';
import { membershipView } from './views.js';

/** Sessions handed over in the change's own batch; any beyond follow in batches of their own. */
const SESSIONS_PER_BATCH = 400;

interface Change { seen: StoredMembership; members: StoredMembership[] }

/** The member and the whole team as read now; a team's refusals come before any write. */
async function loadChange(tenantId: string, uid: string, next: Role | null): Promise<Change> {
  const members = await listStoredMembersOfTenant(tenantId);
  const seen = members.find((m) => m.membership.uid === uid);
  if (!seen) throw new HttpError('not_found', 'No such member.');
  if (leavesNoAdmin(members.map((m) => m.membership), uid, next)) {
    throw new HttpError('last_admin', next === null ? 'The last admin cannot leave; make someone else admin first.' : 'The last admin cannot be demoted; make someone else admin first.');
  }
  return { seen, members };
}

/**
 * Commits, holding as read every other admin (a concurrent demotion of theirs could leave no
 * admin) and the actor (an admin demoted or removed meanwhile may no longer make the change);
 * a concurrent change answers 409.
 */
async function commitChange(batch: FirebaseFirestore.WriteBatch, change: Change, next: Role | null, actor: string, now: number): Promise<void> {
  const uid = change.seen.membership.uid;
  const holds = new Set(adminsToHold(change.members.map((m) => m.membership), uid, next).map((m) => m.uid));
  if (actor !== uid) {
    if (change.members.find((m) => m.membership.uid === actor)?.membership.role !== 'admin') throw new HttpError('conflict', 'The team changed meanwhile; reload and try again.');
    holds.add(actor);
  }
  for (const m of change.members) if (holds.has(m.membership.uid)) holdMembershipIn(batch, m, now);
  endAccessTokensIn(batch, uid);
  try {
    await batch.commit();
  } catch (e) {
    if (isPreconditionFailure(e)) throw new HttpError('conflict', 'The team changed meanwhile; reload and try again.');
    throw e;
  }
}

/**
 * An admin's invite links end with their admin role: revoked once the change committed (accept
 * refuses them before that, invite-routes.ts), so a removed or demoted admin cannot come back
 * through a link they made.
 */
async function revokeInvitesOf(change: Change, now: number): Promise<void> {
  const { tenantId, uid, role } = change.seen.membership;
  if (role !== 'admin') return;
  const ids = await unrevokedInvitesBy(tenantId, uid);
  for (let i = 0; i < ids.length; i += SESSIONS_PER_BATCH) {
    const batch = getDb().batch();
    for (const id of ids.slice(i, i + SESSIONS_PER_BATCH)) revokeInviteIn(batch, id, now);
    await batch.commit();
  }
}

const changeRole = defineRoute({
  method: 'PATCH', path: '/api/teams/:tenantId/members/:uid', permission: 'team.admin', params: MemberPath, body: ChangeRoleBody, rateLimits: manageLimits,
  async handler({ params, body }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    const team = await teamOrNotFound(params.tenantId);
    const change = await loadChange(params.tenantId, params.uid, body.role);
    const before = change.seen.membership;
    if (before.role === body.role) return { body: { membership: membershipView(before, team.name) } };
    const batch = getDb().batch();
    changeRoleIn(batch, change.seen, body.role, ctx.now);
    recordAuditIn(batch, { tenantId: team.tenantId, at: ctx.now, actorUid: callerOf(ctx), action: 'member.role_changed', target: { type: 'user', id: before.uid }, details: { from: before.role, to: body.role } });
    await commitChange(batch, change, body.role, callerOf(ctx), ctx.now);
    if (body.role !== 'admin') await revokeInvitesOf(change, ctx.now);
    return { body: { membership: membershipView({ ...before, role: body.role }, team.name) } };
  },
});

/** Removal by an admin, or leaving: the person's sessions pass to the remover, or on leaving to the longest-standing admin. */
async function removeMember(tenantId: string, uid: string, ctx: HandlerContext): Promise<void> {
  const actor = callerOf(ctx);
  const leaving = uid === actor;
  const change = await loadChange(tenantId, uid, null);
  const heir = sessionHeir(change.members.map((m) => m.membership), uid, leaving ? null : actor);
  const owned = heir ? await sessionsOwnedBy(tenantId, uid) : [];
  const batch = getDb().batch();
  deleteMembershipIn(batch, change.seen);
  forgetMemberActivityIn(batch, tenantId, uid);
  passOwnershipIn(batch, owned.slice(0, SESSIONS_PER_BATCH), heir!);
  recordAuditIn(batch, {
    tenantId, at: ctx.now, actorUid: actor, action: leaving ? 'member.left' : 'member.removed', target: { type: 'user', id: uid },
    details: { role: change.seen.membership.role, sessionsTo: owned.length > 0 ? heir! : null, sessions: owned.length },
  });
  await commitChange(batch, change, null, actor, ctx.now);
  await revokeInvitesOf(change, ctx.now);
  for (let i = SESSIONS_PER_BATCH; i < owned.length; i += SESSIONS_PER_BATCH) {
    const more = getDb().batch();
    passOwnershipIn(more, owned.slice(i, i + SESSIONS_PER_BATCH), heir!);
    await more.commit();
  }
}

const remove = defineRoute({
  method: 'DELETE', path: '/api/teams/:tenantId/members/:uid', permission: 'team.read', params: MemberPath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    await requireAdminOrSelf(params.tenantId, params.uid, ctx);
    await removeMember(params.tenantId, params.uid, ctx);
    return { status: 204 };
  },
});

export const memberRoutes: Route[] = [changeRole, remove];
