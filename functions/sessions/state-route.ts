// The poll: GET /api/sessions/{id}/state. An unchanged room answers 304 after one one-document
// query (often none: polls on an instance share it for a second); the full state is built only
// when the room changed, and each viewer gets their own view of it (no card of anyone else's
// before the reveal). Presence is written at most once a minute per participant and instance.
import { createHash } from 'node:crypto';
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { SessionPath } from '../../shared/schemas/sessions.js';
import { refuseMissingSession, requireSession, sessionNotFound, type RoomCaller } from '../../shared/access/authorize.js';
import { roomViewFor } from '../../shared/domain/room-state.js';
import { presencePeriod, PRESENCE_WRITE_INTERVAL_MS } from '../../shared/domain/presence.js';
import { touchLastSeen } from '../../shared/store/participants.js';
import { noteMemberActive, MEMBER_ACTIVITY_INTERVAL_MS } from '../../shared/store/member-activity.js';
import { sessionFacts, lastRoomChange, roomRecords } from './room-cache.js';

/** Bumped when the shape of the state changes, so old ETags never match a new shape. */
const STATE_SHAPE = 'v1';

// Counted per instance in memory, so a poll costs no Firestore for being counted. A participant
// polls every 2 s (30 a minute, a few more after their own actions); 120 a minute leaves room for
// two tabs and stops a caller trying session ids (each miss is a read). The address limit is for
// a crowd behind one NAT: 100 people polling every 2 s.
const POLL_LIMITS = {
  byCaller: { name: 'poll:caller', max: 120, windowS: 60, perInstance: true },
  byIp: { name: 'poll:ip', max: 3000, windowS: 60, perInstance: true },
} satisfies Record<string, RateLimit>;

/** The signed-in user, or the guest (all the rooms this browser joined as a guest, together). */
function pollerKey(ctx: HandlerContext): string {
  if (ctx.principal) return `user:${ctx.principal.uid}`;
  return `guest:${[...new Set(ctx.guests.map((g) => g.principal.participantId))].sort().join(',')}`;
}
const presenceWrittenAt = new Map<string, number>();
const activityWrittenAt = new Map<string, number>();

/** A member seen in one of the team's rooms is active in the team (the Team page shows it). */
async function noteActivity(tenantId: string, uid: string, now: number): Promise<void> {
  const key = `${tenantId}/${uid}`;
  const last = activityWrittenAt.get(key);
  if (last !== undefined && now - last < MEMBER_ACTIVITY_INTERVAL_MS) return;
  activityWrittenAt.set(key, now);
  if (activityWrittenAt.size > 50_000) activityWrittenAt.delete(activityWrittenAt.keys().next().value!);
  await noteMemberActive(tenantId, uid, now);
}

function etagOf(lastChange: string | undefined, period: number, caller: RoomCaller, moderates: boolean): string {
  const basis = [STATE_SHAPE, lastChange ?? '-', period, caller.participantId, caller.uid ?? 'guest', caller.role ?? '-', moderates].join('\u0000');
  return `"${createHash('sha256').update(basis).digest('base64url').slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => { const v = t.trim().replace(/^W\//, ''); return v === etag || v === '*'; });
}

async function notePresence(sessionId: string, participantId: string, now: number): Promise<void> {
  const key = `${sessionId}/${participantId}`;
  const last = presenceWrittenAt.get(key);
  if (last !== undefined && now - last < PRESENCE_WRITE_INTERVAL_MS) return;
  presenceWrittenAt.set(key, now);
  if (presenceWrittenAt.size > 50_000) presenceWrittenAt.delete(presenceWrittenAt.keys().next().value!);
  await touchLastSeen(sessionId, participantId, now); // false for a member who has not joined: nothing to do
}

const state = defineRoute({
  method: 'GET', path: '/api/sessions/:id/state', permission: 'session.participate', params: SessionPath,
  rateLimits: (_in, ctx) => [{ limit: POLL_LIMITS.byCaller, subject: pollerKey(ctx) }, { limit: POLL_LIMITS.byIp, subject: ctx.clientNetwork }],
  async handler({ params }, ctx) {
    const facts = await sessionFacts(params.id);
    if (!facts) refuseMissingSession(ctx, 'session.participate');
    const caller = requireSession(ctx, 'session.participate', facts);
    const moderates = caller.canModerate;
    const period = presencePeriod(ctx.now, facts.id);
    // The presence write (once a minute) goes out beside the room-clock query, not after it.
    const [lastChange] = await Promise.all([
      lastRoomChange(facts, ctx.now),
      notePresence(facts.id, caller.participantId, ctx.now),
      caller.uid === null ? undefined : noteActivity(facts.tenantId, caller.uid, ctx.now),
    ]);
    const etag = etagOf(lastChange, period, caller, moderates);
    if (matches(ctx.ifNoneMatch, etag)) return { status: 304, headers: { ETag: etag } };
    const records = await roomRecords(facts, lastChange, period, ctx.now);
    if (!records) throw sessionNotFound();
    const view = roomViewFor(records, { participantId: caller.participantId, canModerate: moderates, isGuest: caller.isGuest });
    return { body: { version: etag, serverTime: new Date(ctx.now).toISOString(), ...view }, headers: { ETag: etag } };
  },
});

export const stateRoutes: Route[] = [state];
