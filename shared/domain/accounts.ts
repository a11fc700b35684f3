// Rules about accounts, with no I/O.
import type { Role } from '../security/tokens.js';
import { longestStanding, longestStandingAdmin, type TeamMember } from './teams.js';

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
      const heir = longestStanding(others)!;
      plan.handOver.push({ tenantId: t.tenantId, toUid: heir.uid });
    } else plan.leave.push(t.tenantId);
  }
  return plan;
}

/** What an erased user is called wherever a record of them must stay (a room, a results export). */
export const DELETED_USER_NAME = 'Deleted user';

/**
 * Who owns the sessions an erased user owned in a tenant: its longest-standing admin (after the
 * hand-over, so a tenant the user alone administered passes to its heir). Null when no admin is
 * left; such a session stays owner-less and its team's admins moderate it, as they may any session.
 */
export function erasedOwnersHeir(uid: string, members: readonly TeamMember[]): string | null {
  return longestStandingAdmin(members, uid) ?? null;
}

/**
 * What becomes of an erased user's vote: a card of a revealed round stays as an anonymous card
 * (the team's results keep it); any other card (never revealed, or taken back) is deleted.
 */
export function fateOfErasedVote(vote: { value: string | null; round: number }, revealedRounds: ReadonlySet<number>): 'keep' | 'delete' {
  return vote.value !== null && revealedRounds.has(vote.round) ? 'keep' : 'delete';
}
