// Sessions loaded through the access layer: the session, or the refusal the table says, so a
// handler cannot read a session and forget to check who asks.
import { getStoredSession, type StoredSession } from '../store/sessions.js';
import type { Caller } from './caller.js';
import { refuseMissingSession, requireSession, type RoomCaller } from './authorize.js';

type SessionPermission = 'session.read' | 'session.participate' | 'session.moderate';

/** The session if the caller may do `permission` to it; a missing one is refused exactly like another team's. */
export async function loadSessionFor(caller: Caller, permission: SessionPermission, id: string): Promise<{ stored: StoredSession; room: RoomCaller }> {
  const stored = await getStoredSession(id);
  if (!stored) refuseMissingSession(caller, permission);
  return { stored, room: requireSession(caller, permission, stored.record) };
}
