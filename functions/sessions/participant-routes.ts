// Joining a room as a voter or a spectator (members; guests switch role here too), and leaving.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { enforceRateLimits, type RateLimit } from '../../shared/http/rate-limit.js';
import { JoinBody, SessionPath } from '../../shared/schemas/sessions.js';
import { getUser } from '../../shared/store/users.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { enterRoom, leaveRoom } from '../../shared/rooms/membership.js';
import { forgetRoom } from './room-cache.js';

// Every join, rename and role switch is one change to the room: a participant flooding them
// would crowd out the moderator's changes (issue #15, item 4). Counted per participant and room
// once the caller is known, so the route cannot declare it with `rateLimits`.
const ENTRY_LIMIT: RateLimit = { name: 'join:participant', max: 10, windowS: 60 };

function participantView(p: { id: string; displayName: string; kind: string; role: string }) {
  return { id: p.id, displayName: p.displayName, kind: p.kind, role: p.role };
}

const join = defineRoute({
  method: 'POST', path: '/api/sessions/:id/join', permission: 'session.participate', params: SessionPath, body: JoinBody,
  async handler({ params, body }, ctx) {
    const { stored, room: caller } = await loadSessionFor(ctx, 'session.participate', params.id);
    if (ctx.config.rateLimits) await enforceRateLimits([{ limit: ENTRY_LIMIT, subject: `${stored.record.id}/${caller.participantId}` }], ctx.now);
    const role = body?.role ?? 'voter';
    let displayName = body?.displayName;
    if (!displayName && caller.uid) displayName = (await getUser(caller.uid))?.displayName;
    const { participant, created } = await enterRoom(stored.record.id, {
      participantId: caller.participantId, kind: caller.isGuest ? 'guest' : 'user', uid: caller.uid, displayName, role,
    }, ctx.now, stored);
    forgetRoom(stored.record.id);
    return { status: created ? 201 : 200, body: { participant: participantView(participant) } };
  },
});

const leave = defineRoute({
  method: 'DELETE', path: '/api/sessions/:id/join', permission: 'session.participate', params: SessionPath,
  async handler({ params }, ctx) {
    const { stored, room: caller } = await loadSessionFor(ctx, 'session.participate', params.id);
    if (!(await leaveRoom(stored.record.id, caller.participantId, ctx.now))) throw new HttpError('not_found', 'You are not in this session.');
    forgetRoom(stored.record.id);
    return { status: 204 };
  },
});

export const participantRoutes: Route[] = [join, leave];
