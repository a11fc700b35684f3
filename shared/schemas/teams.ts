// Shapes of the teams API (teams, members, invite links, audit log), declared once; the site imports the types.
import * as z from 'zod';
import { DisplayName } from './auth.js';
import { RETENTION_DAYS } from '../domain/retention.js';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');
export const TeamRole = z.enum(['admin', 'member']);
export type TeamRole = z.infer<typeof TeamRole>;

export const TeamName = DisplayName;
export const CreateTeamBody = z.strictObject({ name: TeamName });
/** A team's settings: its name, and how many days closed sessions are kept (the retention job deletes them after). */
export const SessionRetentionDays = z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max);
export const UpdateTeamBody = z.strictObject({ name: TeamName.optional(), sessionRetentionDays: SessionRetentionDays.optional() })
  .refine((b) => b.name !== undefined || b.sessionRetentionDays !== undefined, 'Give a name or sessionRetentionDays.');
export const TeamPath = z.strictObject({ tenantId: Id });
export const MemberPath = z.strictObject({ tenantId: Id, uid: Id });
export const InvitePath = z.strictObject({ tenantId: Id, id: Id });
export const ChangeRoleBody = z.strictObject({ role: TeamRole });

export const INVITE_DAYS = { min: 1, max: 14, default: 7 } as const;
export const INVITE_USES = { min: 1, max: 100, default: 1 } as const;
export const CreateInviteBody = z.strictObject({
  role: TeamRole,
  expiresInDays: z.number().int().min(INVITE_DAYS.min).max(INVITE_DAYS.max).default(INVITE_DAYS.default),
  maxUses: z.number().int().min(INVITE_USES.min).max(INVITE_USES.max).default(INVITE_USES.default),
});
/** Any string: a token of the wrong shape or kind answers the same 404 as an unknown one. */
export const AcceptInviteBody = z.strictObject({ token: z.string().min(1).max(2048) });

export const AUDIT_PAGE = { default: 50, max: 200 } as const;
/** The last millisecond of year 9999, the latest time a Firestore timestamp holds. */
const LATEST_FIRESTORE_MS = 253_402_300_799_999;
/** `before` is the `next` cursor of the previous page: `<at ms>.<event id>`. */
export const AuditQuery = z.strictObject({
  before: z.string().regex(/^[0-9]{1,15}\.[A-Za-z0-9_-]{1,64}$/, 'Not a cursor from this log.')
    .refine((c) => Number(c.slice(0, c.indexOf('.'))) <= LATEST_FIRESTORE_MS, 'Not a cursor from this log.').optional(),
  limit: z.coerce.number().int().min(1).max(AUDIT_PAGE.max).default(AUDIT_PAGE.default),
  format: z.enum(['json', 'csv']).default('json'),
});

export interface TeamView { tenantId: string; name: string; personal: boolean; createdAt: string; /** Days closed sessions are kept (the default when never set). */ sessionRetentionDays: number }
export interface MemberView { uid: string; displayName: string; role: TeamRole; joinedAt: string; lastActiveAt: string | null; email?: string }
export interface TeamResponse { team: TeamView; members: MemberView[] }
export type InviteStatus = 'active' | 'expired' | 'used_up' | 'revoked';
export interface InviteView { id: string; role: TeamRole; expiresAt: string; maxUses: number; uses: number; status: InviteStatus; createdAt: string }
export interface CreatedInvite { invite: InviteView; url: string }
export interface MembershipView { tenantId: string; teamName: string; uid: string; role: TeamRole; joinedAt: string }

export const AUDIT_ACTIONS = [
  'team.created', 'team.renamed', 'team.retention_changed', 'invite.created', 'invite.revoked', 'invite.accepted',
  'member.removed', 'member.left', 'member.role_changed',
  'jira.connection_added', 'jira.connection_removed',
  'forge.installation_registered', 'forge.installation_rotated', 'forge.installation_revoked',
  'session.deleted',
  'client.created', 'client.renamed', 'client.archived', 'client.unarchived',
  'portal_link.created', 'portal_link.revoked', 'portal_link.redeemed', 'portal_user.removed',
  'ai.settings_changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditTargetType = 'team' | 'invite' | 'user' | 'jiraConnection' | 'forgeInstallation' | 'session' | 'client' | 'portalLink';
export interface AuditEventView {
  id: string; at: string; actor: { uid: string; displayName: string }; action: AuditAction;
  target: { type: AuditTargetType; id: string; name: string | null }; details: Record<string, string | number | null>;
}
export interface AuditPage { events: AuditEventView[]; next: string | null }
