// Joining a room by its code: a guest gets a cookie for that one session. A signed-in member of
// the session's team joins as themselves instead; a guest who comes back keeps their seat.
import { defineRoute } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { GuestJoinBody } from '../../shared/schemas/sessions.js';
import { normalizeJoinCode } from '../../shared/domain/join-codes.js';
import { newId } from '../../shared/security/tokens.js';
import { signGuestToken } from '../../shared/security/guest-tokens.js';
import { getJoinCode } from '../../shared/store/join-codes.js';
import { getStoredSession } from '../../shared/store/sessions.js';
import { participantIdOfUser } from '../../shared/store/participants.js';
import { enterRoom } from '../../shared/rooms/membership.js';

const LIMITS = {
  byIp: { name: 'guest:ip', max: 30, windowS: 600 },
} satisfies Record<string, RateLimit>;

const noSuchCode = () => new HttpError('not_found', 'No open session has this code. Check it with whoever shared it.');

export const guestJoin = defineRoute({
  method: 'POST', path: '/api/auth/guest', permission: 'public', body: GuestJoinBody,
  rateLimits: (_in, ctx) => [{ limit: LIMITS.byIp, subject: ctx.clientNetwork }],
  async handler({ body }, ctx) {
    const typed = normalizeJoinCode(body.joinCode);
    if (!typed) throw noSuchCode();
    const code = await getJoinCode(typed);
    if (!code || code.expiresAt <= ctx.now) throw noSuchCode();
    const stored = await getStoredSession(code.sessionId);
    if (!stored || stored.record.tenantId !== code.tenantId) throw noSuchCode();
    if (stored.record.status === 'closed') throw new HttpError('session_closed', 'This session is closed.');
    const session = { id: stored.record.id, name: stored.record.name, tenantId: stored.record.tenantId };
    const asMember = ctx.principal?.roles[code.tenantId] !== undefined;
    const earlier = ctx.guests.find((g) => g.principal.sessionId === session.id);
    const participantId = asMember ? participantIdOfUser(session.id, ctx.principal!.uid) : earlier?.principal.participantId ?? newId();
    const { participant, created } = await enterRoom(session.id, {
      participantId, kind: asMember ? 'user' : 'guest', uid: asMember ? ctx.principal!.uid : null, displayName: body.displayName, role: body.role,
    }, ctx.now, stored);
    const view = { session, participant: { id: participant.id, displayName: participant.displayName, kind: participant.kind, role: participant.role }, asMember };
    if (asMember) return { status: created ? 201 : 200, body: view };
    const guest = { participantId, tenantId: session.tenantId, sessionId: session.id };
    const token = await signGuestToken(guest, ctx.config, ctx.now);
    return {
      status: created ? 201 : 200, body: view,
      session: { addGuest: { principal: { kind: 'guest', ...guest, expiresAt: ctx.now + ctx.config.guestTokenTtlS * 1000 }, token } },
    };
  },
});
