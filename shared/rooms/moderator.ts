// The moderator's read-decide-commit step, shared by every route that changes a room's agenda or
// rounds (the sessions function, and the jira function's import). Plain inputs: a caller and
// the session id; the access layer decides who moderates.
import { HttpError } from '../http/errors.js';
import type { Caller } from '../access/caller.js';
import { refuseMissingSession, requireSession } from '../access/authorize.js';
import { withFreshSession, type StoredSession } from '../store/sessions.js';

/** A moderator's step on a session, retried when the session changed meanwhile. */
export async function moderate<T>(sessionId: string, caller: Caller, step: (s: StoredSession) => Promise<T>, options: { evenWhenClosed?: boolean; afterwards?: (sessionId: string) => void } = {}): Promise<T> {
  let checked = false;
  const out = await withFreshSession(sessionId, async (s) => {
    if (!s) refuseMissingSession(caller, 'session.moderate');
    if (!checked) requireSession(caller, 'session.moderate', s.record);
    checked = true;
    if (s.record.status === 'closed' && !options.evenWhenClosed) throw new HttpError('session_closed', 'This session is closed; reopen it first.');
    return step(s);
  });
  options.afterwards?.(sessionId);
  return out;
}
