// Who may run a room: the session's owner, or an admin of its tenant. Guests never.

export interface Caller {
  /** The signed-in user, when the caller is one; their role in the session's tenant, if any. */
  user?: { uid: string; role: 'admin' | 'member' | undefined };
  /** The caller's participant id in this session, when they have joined (or are a guest). */
  participantId: string | null;
}

export function canModerate(session: { ownerUid: string }, caller: Caller): boolean {
  if (!caller.user || caller.user.role === undefined) return false;
  return caller.user.uid === session.ownerUid || caller.user.role === 'admin';
}
