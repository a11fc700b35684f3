// Stored documents mapped to the API's declared shapes (never passed through).
import type { TeamRecord } from '../../shared/store/tenants.js';
import type { InviteRecord } from '../../shared/store/invites.js';
import type { StoredAuditEvent } from '../../shared/store/audit-events.js';
import type { Membership } from '../../shared/store/memberships.js';
import { inviteStatus } from '../../shared/domain/teams.js';
import type { TeamView, InviteView, AuditEventView, MembershipView } from '../../shared/schemas/teams.js';

export const iso = (ms: number) => new Date(ms).toISOString();
export const ERASED_NAME = 'Deleted account';

export const teamView = (t: TeamRecord): TeamView => ({ tenantId: t.tenantId, name: t.name, personal: t.personal, createdAt: iso(t.createdAt), sessionRetentionDays: t.sessionRetentionDays });

export const inviteView = (i: InviteRecord, now: number): InviteView => ({
  id: i.id, role: i.role, expiresAt: iso(i.expiresAt), maxUses: i.maxUses, uses: i.uses, status: inviteStatus(i, now), createdAt: iso(i.createdAt),
});

export const membershipView = (m: Membership, teamName: string): MembershipView => ({
  tenantId: m.tenantId, teamName, uid: m.uid, role: m.role, joinedAt: iso(m.joinedAt),
});

export function auditView(e: StoredAuditEvent, names: ReadonlyMap<string, { displayName: string }>): AuditEventView {
  const targetName = e.target.type === 'user' ? (names.get(e.target.id)?.displayName ?? ERASED_NAME) : null;
  return {
    id: e.id, at: iso(e.at), actor: { uid: e.actorUid, displayName: names.get(e.actorUid)?.displayName ?? ERASED_NAME },
    action: e.action, target: { type: e.target.type, id: e.target.id, name: targetName }, details: { ...e.details },
  };
}
