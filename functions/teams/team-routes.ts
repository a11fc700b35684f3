// Teams themselves: create one (the caller becomes its admin), read it with its members, change its
// settings (name, how long closed sessions are kept).
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { CreateTeamBody, UpdateTeamBody, TeamPath, type MemberView, type TeamResponse } from '../../shared/schemas/teams.js';
import { newId } from '../../shared/security/tokens.js';
import { getDb } from '../../shared/store/firestore.js';
import { createTeamIn, getTeam, updateTeamIn, type TeamRecord } from '../../shared/store/tenants.js';
import { RETENTION_DAYS } from '../../shared/domain/retention.js';
import { createMembershipIn, listMembersOfTenant } from '../../shared/store/memberships.js';
import { getProfiles } from '../../shared/store/users.js';
import { lastActiveOfMembers } from '../../shared/store/member-activity.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { callerOf, requireAdmin, requireMember } from './access.js';
import { ERASED_NAME, iso, teamView } from './views.js';

const CREATE_LIMIT: RateLimit = { name: 'teams:create:user', max: 30, windowS: 3600 };
export const MANAGE_LIMIT: RateLimit = { name: 'teams:manage:user', max: 120, windowS: 3600 };
export const manageLimits = (_in: unknown, ctx: { principal?: { uid: string }; clientNetwork: string }) => [{ limit: MANAGE_LIMIT, subject: ctx.principal?.uid ?? ctx.clientNetwork }];

export const noSuchTeam = () => new HttpError('not_found', 'No such team.');

export async function teamOrNotFound(tenantId: string): Promise<TeamRecord> {
  const team = await getTeam(tenantId);
  if (!team) throw noSuchTeam();
  return team;
}

const create = defineRoute({
  method: 'POST', path: '/api/teams', permission: 'account', body: CreateTeamBody,
  rateLimits: (_in, ctx) => [{ limit: CREATE_LIMIT, subject: ctx.principal!.uid }],
  async handler({ body }, ctx) {
    const uid = callerOf(ctx);
    const team: TeamRecord = { tenantId: newId(), name: body.name, personal: false, createdBy: uid, createdAt: ctx.now, sessionRetentionDays: RETENTION_DAYS.default };
    const batch = getDb().batch();
    const { sessionRetentionDays: _default, ...stored } = team; // the default is not stored: a later change of it applies
    createTeamIn(batch, stored);
    createMembershipIn(batch, team.tenantId, uid, 'admin', ctx.now);
    recordAuditIn(batch, { tenantId: team.tenantId, at: ctx.now, actorUid: uid, action: 'team.created', target: { type: 'team', id: team.tenantId }, details: { name: team.name } });
    await batch.commit();
    return { status: 201, body: { team: teamView(team) } };
  },
});

const read = defineRoute({
  method: 'GET', path: '/api/teams/:tenantId', permission: 'team.read', params: TeamPath,
  async handler({ params }, ctx) {
    await requireMember(params.tenantId, ctx);
    const [team, members] = await Promise.all([teamOrNotFound(params.tenantId), listMembersOfTenant(params.tenantId)]);
    const isAdmin = members.some((m) => m.uid === callerOf(ctx) && m.role === 'admin');
    const [profiles, lastActive] = await Promise.all([
      getProfiles(members.map((m) => m.uid)),
      lastActiveOfMembers(params.tenantId, members.map((m) => m.uid)),
    ]);
    const views: MemberView[] = members.map((m) => ({
      uid: m.uid, displayName: profiles.get(m.uid)?.displayName ?? ERASED_NAME, role: m.role, joinedAt: iso(m.joinedAt),
      lastActiveAt: lastActive.has(m.uid) ? iso(lastActive.get(m.uid)!) : null,
      ...(isAdmin && { email: profiles.get(m.uid)?.email ?? '' }),
    }));
    views.sort((a, b) => (a.role === b.role ? a.displayName.localeCompare(b.displayName) : a.role === 'admin' ? -1 : 1));
    const body: TeamResponse = { team: teamView(team), members: views };
    return { body };
  },
});

/** Renames the team and/or sets how long its closed sessions are kept; each change is audited, an unchanged value is not written. */
const update = defineRoute({
  method: 'PATCH', path: '/api/teams/:tenantId', permission: 'team.admin', params: TeamPath, body: UpdateTeamBody, rateLimits: manageLimits,
  async handler({ params, body }, ctx) {
    await requireAdmin(params.tenantId, ctx);
    const team = await teamOrNotFound(params.tenantId);
    const name = body.name !== undefined && body.name !== team.name ? body.name : undefined;
    const days = body.sessionRetentionDays !== undefined && body.sessionRetentionDays !== team.sessionRetentionDays ? body.sessionRetentionDays : undefined;
    if (name === undefined && days === undefined) return { body: { team: teamView(team) } };
    const batch = getDb().batch();
    updateTeamIn(batch, team.tenantId, { ...(name !== undefined && { name }), ...(days !== undefined && { sessionRetentionDays: days }) });
    const audit = { tenantId: team.tenantId, at: ctx.now, actorUid: callerOf(ctx), target: { type: 'team', id: team.tenantId } } as const;
    if (name !== undefined) recordAuditIn(batch, { ...audit, action: 'team.renamed', details: { from: team.name, to: name } });
    if (days !== undefined) recordAuditIn(batch, { ...audit, action: 'team.retention_changed', details: { from: team.sessionRetentionDays, to: days } });
    await batch.commit();
    return { body: { team: teamView({ ...team, name: name ?? team.name, sessionRetentionDays: days ?? team.sessionRetentionDays }) } };
  },
});

export const teamManagementRoutes: Route[] = [create, read, update];
