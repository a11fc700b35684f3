// The moderator check shared by every route that changes a room's agenda or rounds (the
// sessions function, and the jira function's import).
import { HttpError } from '../http/errors.js';
import type { HandlerContext } from '../http/router.js';
import { getMembership } from '../store/memberships.js';
import { withFreshSession, type StoredSession } from '../store/sessions.js';
import { requireMemberCaller, sessionNotFound } from './room-caller.js';
import { canModerate } from '../domain/moderation.js';

/** Throws unless the caller moderates this session; the admin role is read fresh, not from the token. */
export async function requireModerator(stored: StoredSession | undefined, ctx: HandlerContext): Promise<StoredSession> {
  if (!stored) throw sessionNotFound();
  const caller = requireMemberCaller(stored.record, ctx);
  if (caller.uid === stored.record.ownerUid) return stored;
  const membership = await getMembership(stored.record.tenantId, caller.uid);
  if (!membership) throw sessionNotFound();
  if (!canModerate(stored.record, { user: { uid: caller.uid, role: membership.role }, participantId: null })) {
    throw new HttpError('forbidden', "Only the session's owner or a team admin can do this.");
  }
  return stored;
}

/** A moderator's read-decide-commit step on a session, retried when the session changed meanwhile. */
export async function moderate<T>(sessionId: string, ctx: HandlerContext, step: (s: StoredSession) => Promise<T>, options: { evenWhenClosed?: boolean; afterwards?: (sessionId: string) => void } = {}): Promise<T> {
  let checked = false;
  const out = await withFreshSession(sessionId, async (stored) => {
    const s = checked && stored ? stored : await requireModerator(stored, ctx);
    checked = true;
    if (s.record.status === 'closed' && !options.evenWhenClosed) throw new HttpError('session_closed', 'This session is closed; reopen it first.');
    return step(s);
  });
  options.afterwards?.(sessionId);
  return out;
}
