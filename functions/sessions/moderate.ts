// The sessions function's moderator steps: the shared check, then this instance forgets what it
// cached of the room so its next poll sees the change at once.
import type { Caller } from '../../shared/access/caller.js';
import type { StoredSession } from '../../shared/store/sessions.js';
import { moderate as moderateRoom } from '../../shared/rooms/moderator.js';
import { forgetRoom } from './room-cache.js';

export function moderate<T>(sessionId: string, caller: Caller, step: (s: StoredSession) => Promise<T>, options: { evenWhenClosed?: boolean } = {}): Promise<T> {
  return moderateRoom(sessionId, caller, step, { ...options, afterwards: forgetRoom });
}
