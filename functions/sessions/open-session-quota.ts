// A team's open sessions are capped (docs/api.md, "Limits"); reopening a session counts as
// opening one. Counted with one aggregation query when a session opens, so nothing is kept in
// step on close, and exact under any burst: the count is taken after reading the team's gate, and
// the open commits only if no other open moved the gate since (shared/store/sessions.ts).
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { MAX_OPEN_SESSIONS_PER_TEAM } from '../../shared/domain/limits.js';
import { countOpenSessionsOfTenant, withOpenSessionGate, type OpenSessionGate } from '../../shared/store/sessions.js';

/** Sessions a person may open (create or reopen) in an hour, together. */
const OPENS_PER_PERSON: RateLimit = { name: 'sessions:create:principal', max: 60, windowS: 3600 };
export const opensPerPerson = (_in: unknown, ctx: HandlerContext) => [{ limit: OPENS_PER_PERSON, subject: ctx.principal?.uid ?? ctx.clientNetwork }];

async function requireRoomForAnotherOpenSession(tenantId: string): Promise<void> {
  if (await countOpenSessionsOfTenant(tenantId) >= MAX_OPEN_SESSIONS_PER_TEAM) {
    throw new HttpError('limit_reached', `A team can have at most ${MAX_OPEN_SESSIONS_PER_TEAM} open sessions; close some first.`);
  }
}

/** Opens a session within the cap: `open` counts as the team's next open and commits with the gate it is given. */
export function openWithinSessionCap<T>(tenantId: string, now: number, open: (gate: OpenSessionGate) => Promise<T>): Promise<T> {
  return withOpenSessionGate(tenantId, now, async (gate) => {
    await requireRoomForAnotherOpenSession(tenantId);
    return open(gate);
  });
}
