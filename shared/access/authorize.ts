// "May this caller do this to this thing": the permission table (shared/domain/permissions.ts)
// applied to a team or a session. Standing comes from the caller's current-epoch access token
// (a change of role or membership ends the user's tokens: shared/store/users.ts
// endAccessTokensIn), or from their guest token for one session.
import { HttpError } from '../http/errors.js';
import { decide, type Permission, type Standing } from '../domain/permissions.js';
import type { Role } from '../security/tokens.js';
import { participantIdOfUser } from '../store/participants.js';
import { credentialOf, type Caller } from './caller.js';

export const sessionNotFound = () => new HttpError('not_found', 'No such session.');
export const noSuchTeam = () => new HttpError('not_found', 'No such team.');
const tokenExpired = () => new HttpError('token_expired', 'Your session needs refreshing.');

/**
 * Throws the table's refusal, if any. 404 is `notFound()` (other tenants' things and missing
 * ones alike); a caller whose user token ended gets token_expired instead, since once refreshed
 * they may well be allowed.
 */
export function authorize(caller: Caller, permission: Permission, standing: Standing, notFound: () => HttpError, forbidden: string): void {
  const d = decide(permission, credentialOf(caller), standing);
  if (d.allow) return;
  if (d.code === 'not_found') throw caller.userTokenExpired ? tokenExpired() : notFound();
  if (d.code === 'forbidden') throw new HttpError('forbidden', forbidden);
  throw d.code === 'token_expired' ? tokenExpired() : new HttpError('unauthenticated', 'Sign in first.');
}

/** The caller's role in a team, as their current access token says. */
export function teamStanding(caller: Caller, tenantId: string): Standing {
  return caller.principal?.roles[tenantId] ?? 'none';
}

/** Throws unless the caller may do `permission` in the team; returns their role. `what` names what admins manage. */
export function requireTeam(caller: Caller, permission: 'team.read' | 'team.admin', tenantId: string, what = 'this', notFound = noSuchTeam): { uid: string; role: Role } {
  authorize(caller, permission, teamStanding(caller, tenantId), notFound, `Only team admins manage ${what}.`);
  return { uid: caller.principal!.uid, role: caller.principal!.roles[tenantId]! };
}

/** Who is calling, as far as one room is concerned. */
export interface RoomCaller {
  standing: Standing;
  uid: string | null;
  role: Role | undefined;
  /** The caller's participant id in the room (whether or not they have joined yet). */
  participantId: string;
  isGuest: boolean;
  /** Whether the caller may run the room (the table's session.moderate). */
  canModerate: boolean;
}

export interface SessionFacts { id: string; tenantId: string; ownerUid: string }

/** The caller's standing in a session; undefined when they have none (no role in its team, no guest token for it). */
export function roomCallerOf(caller: Caller, s: SessionFacts): RoomCaller | undefined {
  const role = caller.principal?.roles[s.tenantId];
  if (caller.principal && role) {
    const standing: Standing = caller.principal.uid === s.ownerUid ? 'owner' : role;
    return { standing, uid: caller.principal.uid, role, participantId: participantIdOfUser(s.id, caller.principal.uid), isGuest: false, canModerate: decide('session.moderate', 'user', standing).allow };
  }
  const guest = caller.guests.find((g) => g.principal.sessionId === s.id && g.principal.tenantId === s.tenantId);
  if (guest) return { standing: 'guest', uid: null, role: undefined, participantId: guest.principal.participantId, isGuest: true, canModerate: false };
  return undefined;
}

/** The refusal for a session that does not exist: the same as for another team's. */
export function refuseMissingSession(caller: Caller, permission: 'session.read' | 'session.participate' | 'session.moderate'): never {
  authorize(caller, permission, 'none', sessionNotFound, '');
  throw sessionNotFound();
}

/** Throws unless the caller may do `permission` to the session; their standing in it otherwise. */
export function requireSession(caller: Caller, permission: 'session.read' | 'session.participate' | 'session.moderate', s: SessionFacts): RoomCaller {
  const room = roomCallerOf(caller, s);
  authorize(caller, permission, room?.standing ?? 'none', sessionNotFound, "Only the session's owner or a team admin can do this.");
  return room!;
}

/**
 * The participant id a caller votes as, known before anything is read: a member's derives from
 * their uid, a guest's is in their token. A signed-in user who is a guest in another team's room
 * votes as that guest. The vote's transaction then checks it against the session (requireSession).
 */
export function participantIdFor(caller: Caller, sessionId: string): string {
  const guest = caller.guests.find((g) => g.principal.sessionId === sessionId);
  if (caller.principal && (!guest || caller.principal.roles[guest.principal.tenantId])) return participantIdOfUser(sessionId, caller.principal.uid);
  if (guest) return guest.principal.participantId;
  throw caller.userTokenExpired ? tokenExpired() : sessionNotFound();
}
