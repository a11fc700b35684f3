// Rules about accounts, with no I/O.
import type { Role } from '../security/tokens.js';

/** Emails are unique case-insensitively: stored and looked up lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function personalTenantName(displayName: string): string {
  return `${displayName}'s team`;
}

export interface TenantMembers { tenantId: string; members: { uid: string; role: Role; joinedAt: number }[] }

export interface ErasePlan {
  /** Tenants deleted with all their data: the user was their only member. */
  deleteTenants: string[];
  /** Tenants the user alone administered: the longest-standing other member becomes admin. */
  handOver: { tenantId: string; toUid: string }[];
  /** Tenants the user simply leaves. */
  leave: string[];
}

/** What erasing `uid` does to each tenant it belongs to. */
export function planErase(uid: string, tenants: TenantMembers[]): ErasePlan {
  const plan: ErasePlan = { deleteTenants: [], handOver: [], leave: [] };
  for (const t of tenants) {
    const others = t.members.filter((m) => m.uid !== uid);
    const me = t.members.find((m) => m.uid === uid);
    if (others.length === 0) plan.deleteTenants.push(t.tenantId);
    else if (me?.role === 'admin' && !others.some((m) => m.role === 'admin')) {
      const heir = [...others].sort((a, b) => a.joinedAt - b.joinedAt || (a.uid < b.uid ? -1 : 1))[0]!;
      plan.handOver.push({ tenantId: t.tenantId, toUid: heir.uid });
    } else plan.leave.push(t.tenantId);
  }
  return plan;
}
