// Who may call the teams routes, in one place (the access layer's permission table takes these
// over): members read their team; admins manage it; a member may remove only themselves (leave).
// Roles are read fresh; a team the caller is not in answers 404, like a missing one.
import type { HandlerContext } from '../../shared/http/router.js';
import { requireTeamRole } from '../../shared/tenancy/team-role.js';

const WHAT = "the team's name, members, invites and audit log";

export const callerOf = (ctx: HandlerContext) => ctx.principal!.uid;

export const requireMember = (tenantId: string, ctx: HandlerContext) => requireTeamRole(tenantId, callerOf(ctx), 'member', WHAT);

export const requireAdmin = (tenantId: string, ctx: HandlerContext) => requireTeamRole(tenantId, callerOf(ctx), 'admin', WHAT);

/** Admins remove anyone; a member removes only themselves. */
export const requireAdminOrSelf = (tenantId: string, uid: string, ctx: HandlerContext) =>
  (uid === callerOf(ctx) ? requireMember(tenantId, ctx) : requireAdmin(tenantId, ctx));
