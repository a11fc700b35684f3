// Who is calling, as far as one room is concerned: a member of its tenant (from the access
// token's roles), a guest of exactly this session, or nobody (404, as for a missing session).
import { HttpError } from '../http/errors.js';
import type { HandlerContext } from '../http/router.js';
import type { Role } from '../security/tokens.js';
import { participantIdOfUser } from '../store/participants.js';
import { canModerate } from '../domain/moderation.js';

export interface RoomCaller {
  uid: string | null;
  role: Role | undefined;
  /** The caller's participant id in the room (whether or not they have joined yet). */
  participantId: string;
  isGuest: boolean;
}

export const sessionNotFound = () => new HttpError('not_found', 'No such session.');

export function roomCaller(session: { id: string; tenantId: string }, ctx: HandlerContext): RoomCaller {
  const role = ctx.principal?.roles[session.tenantId];
  if (ctx.principal && role) return { uid: ctx.principal.uid, role, participantId: participantIdOfUser(session.id, ctx.principal.uid), isGuest: false };
  const guest = ctx.guests.find((g) => g.principal.sessionId === session.id && g.principal.tenantId === session.tenantId);
  if (guest) return { uid: null, role: undefined, participantId: guest.principal.participantId, isGuest: true };
  if (ctx.userTokenExpired) throw new HttpError('token_expired', 'Your session needs refreshing.');
  throw sessionNotFound();
}

/** Members only (guests and others: 404, they must not learn more). */
export function requireMemberCaller(session: { id: string; tenantId: string }, ctx: HandlerContext): RoomCaller & { uid: string } {
  const caller = roomCaller(session, ctx);
  if (caller.isGuest || !caller.uid) throw sessionNotFound();
  return caller as RoomCaller & { uid: string };
}

export function callerCanModerate(session: { ownerUid: string }, caller: RoomCaller): boolean {
  return canModerate(session, { user: caller.uid ? { uid: caller.uid, role: caller.role } : undefined, participantId: caller.participantId });
}
