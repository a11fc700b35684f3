// Rules about teams, with no I/O: the last-admin rule, who inherits sessions, invite validity,
// and what an invite URL looks like.
import type { Role } from '../security/tokens.js';
import type { InviteStatus } from '../schemas/teams.js';

export interface TeamMember { uid: string; role: Role; joinedAt: number }

/**
 * Whether changing `uid` to `next` (a role, or null for leaving / removal) would leave the team
 * without an admin. The last admin can neither leave nor be demoted (409 last_admin).
 */
export function leavesNoAdmin(members: readonly TeamMember[], uid: string, next: Role | null): boolean {
  const target = members.find((m) => m.uid === uid);
  if (!target || target.role !== 'admin' || next === 'admin') return false;
  return !members.some((m) => m.uid !== uid && m.role === 'admin');
}

/** The other admins whose role must still be as read when the change commits (a concurrent
 *  demotion of theirs would otherwise leave no admin). Empty when the change keeps `uid` an admin or `uid` is no admin. */
export function adminsToHold(members: readonly TeamMember[], uid: string, next: Role | null): TeamMember[] {
  const target = members.find((m) => m.uid === uid);
  if (!target || target.role !== 'admin' || next === 'admin') return [];
  return members.filter((m) => m.uid !== uid && m.role === 'admin');
}

/** The member who joined first (ties by uid, so the choice is stable). */
export function longestStanding<M extends { uid: string; joinedAt: number }>(members: readonly M[]): M | undefined {
  return [...members].sort((a, b) => a.joinedAt - b.joinedAt || (a.uid < b.uid ? -1 : 1))[0];
}

/** The longest-standing admin other than `except`: who inherits what a departing member owned. */
export function longestStandingAdmin(members: readonly TeamMember[], except: string): string | undefined {
  return longestStanding(members.filter((m) => m.uid !== except && m.role === 'admin'))?.uid;
}

/**
 * Who takes over the sessions of someone leaving the team: the admin who removed them, or, when
 * they left on their own, the longest-standing other admin.
 */
export function sessionHeir(members: readonly TeamMember[], leaving: string, removedBy: string | null): string | undefined {
  if (removedBy && removedBy !== leaving) return removedBy;
  return longestStandingAdmin(members, leaving);
}

export interface InviteFacts { expiresAt: number; maxUses: number; uses: number; revokedAt: number | null }

export function inviteStatus(i: InviteFacts, now: number): InviteStatus {
  if (i.revokedAt !== null) return 'revoked';
  if (now >= i.expiresAt) return 'expired';
  if (i.uses >= i.maxUses) return 'used_up';
  return 'active';
}

/** Invite tokens: a prefix (secret scanners recognise it) and 256 random bits. */
export const INVITE_TOKEN = /^rki_[A-Za-z0-9_-]{43}$/;

/** The link shown once: the token rides in the fragment, so it never reaches a server log or a Referer. */
export function inviteUrl(siteOrigin: string, token: string): string {
  return `${siteOrigin}/#/invite/${token}`;
}
