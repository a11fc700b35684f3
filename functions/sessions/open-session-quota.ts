// A team's open sessions are capped (docs/api.md, "Limits"); reopening a session counts as
// opening one. Counted with one aggregation query when a session opens, so nothing is kept in
// step on close; a burst of concurrent opens can pass the cap by the opens in flight, each
// bounded by the per-person limit on opens, which creates and reopens share (docs/decisions.md).
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { MAX_OPEN_SESSIONS_PER_TEAM } from '../../shared/domain/limits.js';
import { countOpenSessionsOfTenant } from '../../shared/store/sessions.js';

/** Sessions a person may open (create or reopen) in an hour, together. */
const OPENS_PER_PERSON: RateLimit = { name: 'sessions:create:principal', max: 60, windowS: 3600 };
export const opensPerPerson = (_in: unknown, ctx: HandlerContext) => [{ limit: OPENS_PER_PERSON, subject: ctx.principal?.uid ?? ctx.clientIp }];

export async function requireRoomForAnotherOpenSession(tenantId: string): Promise<void> {
  if (await countOpenSessionsOfTenant(tenantId) >= MAX_OPEN_SESSIONS_PER_TEAM) {
    throw new HttpError('limit_reached', `A team can have at most ${MAX_OPEN_SESSIONS_PER_TEAM} open sessions; close some first.`);
  }
}
