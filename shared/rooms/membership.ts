// Entering and leaving a room, for members (sessions function) and guests (auth function) alike.
// A voter who becomes a spectator or leaves takes their card back, which may complete the round.
import { HttpError } from '../http/errors.js';
import { commitRoomChange, getStoredSession, withFreshSession, type StoredSession } from '../store/sessions.js';
import { countParticipants, getParticipant, removeParticipant, writeParticipant, type ParticipantRecord } from '../store/participants.js';
import { writeVoteRetraction } from '../store/votes.js';
import { revealIfEveryoneVoted } from './auto-reveal.js';
import { sessionNotFound } from '../access/authorize.js';

export const MAX_PARTICIPANTS_PER_SESSION = 200;
/** Joins this close to the cap are serialised, so a crowd arriving at once cannot overshoot it. */
const JOIN_CROWD = 50;

export interface Entrant { participantId: string; kind: 'user' | 'guest'; uid: string | null; displayName: string | undefined; role: 'voter' | 'spectator' }

function retractionIn(s: StoredSession, participantId: string) {
  const { currentIssueId, round, revealed, tenantId, id } = s.record;
  if (!currentIssueId || revealed) return () => 0;
  return (batch: FirebaseFirestore.WriteBatch) => writeVoteRetraction(batch, id, tenantId, { issueId: currentIssueId, round, participantId });
}

async function revealIfComplete(sessionId: string, now: number): Promise<void> {
  const fresh = await getStoredSession(sessionId);
  if (fresh) await revealIfEveryoneVoted(fresh, now);
}

/** Joins (or changes role / name in) a room; `created` is false for someone already in it. */
export async function enterRoom(sessionId: string, who: Entrant, now: number, seen?: StoredSession): Promise<{ participant: ParticipantRecord; created: boolean }> {
  let stoppedVoting = false;
  const out = await withFreshSession(sessionId, async (s) => {
    if (!s) throw sessionNotFound();
    const existing = await getParticipant(sessionId, who.participantId);
    if (!existing && s.record.status === 'closed') throw new HttpError('session_closed', 'This session is closed.');
    const displayName = who.displayName ?? existing?.displayName ?? 'Participant';
    if (existing && existing.role === who.role && existing.displayName === displayName) return { participant: existing, created: false };
    const headCount = existing ? 0 : await countParticipants(sessionId, s.record.tenantId);
    if (!existing && headCount >= MAX_PARTICIPANTS_PER_SESSION) {
      throw new HttpError('limit_reached', `A session holds at most ${MAX_PARTICIPANTS_PER_SESSION} participants.`);
    }
    const participant: ParticipantRecord = {
      id: who.participantId, tenantId: s.record.tenantId, displayName, kind: who.kind, role: who.role, uid: who.uid,
      joinedAt: existing?.joinedAt ?? now, lastSeenAt: now,
    };
    stoppedVoting = existing?.role === 'voter' && who.role === 'spectator';
    const retract = stoppedVoting ? retractionIn(s, who.participantId) : () => 0;
    // Arriving, renaming or starting to vote depends on nothing the session holds but its status
    // and head count, so many people can join at once; taking a card back depends on the round.
    // Near the cap the head count matters, and the join waits its turn like any other change.
    const commutes = !stoppedVoting && (existing !== undefined || headCount < MAX_PARTICIPANTS_PER_SESSION - JOIN_CROWD);
    await commitRoomChange(s, { participants: true, commutes, writes: (batch) => writeParticipant(batch, sessionId, participant) + retract(batch) }, now);
    return { participant, created: !existing };
  }, seen);
  if (stoppedVoting) await revealIfComplete(sessionId, now);
  return out;
}

/** Leaves a room; false when the caller was not in it. */
export async function leaveRoom(sessionId: string, participantId: string, now: number): Promise<boolean> {
  const left = await withFreshSession(sessionId, async (s) => {
    if (!s) throw sessionNotFound();
    const existing = await getParticipant(sessionId, participantId);
    if (!existing) return false;
    const retract = retractionIn(s, participantId);
    await commitRoomChange(s, { participants: true, writes: (batch) => removeParticipant(batch, sessionId, participantId) + retract(batch) }, now);
    return true;
  });
  if (left) await revealIfComplete(sessionId, now);
  return left;
}
