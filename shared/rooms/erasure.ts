// What erasing an account does to the rooms it was in (issue #15, item 11). Each participant
// record of the user is replaced by an anonymous one ("Deleted user", a new random id, no uid, a
// spectator so it never holds up a round); the cards of revealed rounds move to that id and stay
// in the team's results; every other card (never revealed, or taken back) is deleted. The old id
// is derived from the uid, so nothing that remains leads back to the person.
import { HttpError } from '../http/errors.js';
import { newId } from '../security/tokens.js';
import { DELETED_USER_NAME, erasedOwnersHeir, fateOfErasedVote } from '../domain/accounts.js';
import { getDb } from '../store/firestore.js';
import { commitRoomChange, getStoredSession, listSessionsOwnedBy, setSessionOwners, withFreshSession, type StoredSession } from '../store/sessions.js';
import { listIssues } from '../store/issues.js';
import { listMembersOfTenant } from '../store/memberships.js';
import { unlinkUserFromTenant } from '../store/tenants.js';
import { getParticipant, listParticipationsOfUser, removeParticipant, writeParticipant, type ParticipantRecord } from '../store/participants.js';
import { revealIfEveryoneVoted } from './auto-reveal.js';
import { listVotesOfParticipant, writeVoteDelete, writeVoteMove, type VoteRecord } from '../store/votes.js';

/** Votes handled per batch (a move is two writes; a batch takes 500). */
const VOTES_PER_BATCH = 200;

function revealedRoundsOf(issues: { id: string; revealedRounds?: number[] }[], s: StoredSession['record']): Map<string, Set<number>> {
  const out = new Map(issues.map((i) => [i.id, new Set(i.revealedRounds ?? [])]));
  if (s.revealed && s.currentIssueId) out.get(s.currentIssueId)?.add(s.round);
  return out;
}

function writeFates(batch: FirebaseFirestore.WriteBatch, s: StoredSession['record'], cards: VoteRecord[], revealed: Map<string, Set<number>>, anonymousId: string): number {
  let writes = 0;
  for (const v of cards) {
    const keep = fateOfErasedVote(v, revealed.get(v.issueId) ?? new Set()) === 'keep';
    writes += keep ? writeVoteMove(batch, s.id, s.tenantId, v, anonymousId) : writeVoteDelete(batch, s.id, v);
  }
  return writes;
}

/** Anonymises one participant record of an erased user, with their cards in that session. */
export async function anonymiseParticipation(sessionId: string, participant: ParticipantRecord, now: number): Promise<void> {
  const anonymousId = newId();
  const tombstone: ParticipantRecord = { ...participant, id: anonymousId, displayName: DELETED_USER_NAME, kind: 'user', role: 'spectator', uid: null };
  await withFreshSession(sessionId, async (s) => {
    if (!s) { // a record left behind by a deleted session: nothing to keep
      const batch = getDb().batch();
      removeParticipant(batch, sessionId, participant.id);
      await batch.commit();
      return;
    }
    // Read again on every try: a second erase racing this one may have replaced it already.
    if (!(await getParticipant(sessionId, participant.id))) return;
    const { tenantId } = s.record;
    const isRoundInPlay = (v: VoteRecord) => v.issueId === s.record.currentIssueId && v.round === s.record.round;
    const [issues, cards] = await Promise.all([listIssues(sessionId, tenantId), listVotesOfParticipant(sessionId, tenantId, participant.id, 5_000)]);
    const revealed = revealedRoundsOf(issues, s.record);
    // Past rounds first, in bounded batches: they no longer change.
    const past = cards.filter((v) => !isRoundInPlay(v));
    for (let i = 0; i < past.length; i += VOTES_PER_BATCH) {
      const batch = getDb().batch();
      writeFates(batch, s.record, past.slice(i, i + VOTES_PER_BATCH), revealed, anonymousId);
      await batch.commit();
    }
    // Then, as one room change on the session as read, the person and their card in the round in play.
    const inPlay = cards.filter(isRoundInPlay);
    await commitRoomChange(s, {
      participants: true,
      writes: (batch) => removeParticipant(batch, sessionId, participant.id) + writeParticipant(batch, sessionId, tombstone) + writeFates(batch, s.record, inPlay, revealed, anonymousId),
    }, now);
  });
  // A voter fewer may complete the round in play.
  const fresh = participant.role === 'voter' ? await getStoredSession(sessionId) : undefined;
  if (fresh) await revealIfEveryoneVoted(fresh, now);
}

/** Each query reads at most this many records; the next one finds the rest (bounded work). */
const PAGE = 200;
/**
 * A stop for the loops below (2,000 rooms or sessions in one request); past it the erasure answers
 * 503 before the account is deleted, and calling it again carries on where it stopped.
 */
const MAX_PAGES = 10;
const tooMuchForOneRequest = () => new HttpError('unavailable', 'Erasing takes more than one request for this account; send it again to carry on.');

/**
 * Removes an erased user from every team they leave behind, after their memberships are gone:
 * their participant records and cards (above), and their uid on what the teams keep. Sessions
 * they owned pass to the team's longest-standing admin (owner-less if none: admins moderate every
 * session anyway); `createdBy` and `estimatedBy` likewise (tenants.ts). `keptTenantIds`: the
 * tenants the user was a member of that go on without them.
 */
export async function eraseFromTeams(uid: string, keptTenantIds: readonly string[], now: number): Promise<void> {
  const tenants = new Set(keptTenantIds);
  for (let n = 0, page = await listParticipationsOfUser(uid, PAGE); page.length > 0; n++, page = await listParticipationsOfUser(uid, PAGE)) {
    for (const { sessionId, participant } of page) {
      tenants.add(participant.tenantId);
      await anonymiseParticipation(sessionId, participant, now);
    }
    if (n === MAX_PAGES - 1) throw tooMuchForOneRequest();
  }
  const heirs = new Map<string, string | null>();
  const heirOf = async (tenantId: string) => {
    if (!heirs.has(tenantId)) heirs.set(tenantId, erasedOwnersHeir(uid, await listMembersOfTenant(tenantId)));
    return heirs.get(tenantId)!;
  };
  for (let n = 0, page = await listSessionsOwnedBy(uid, PAGE); page.length > 0; n++, page = await listSessionsOwnedBy(uid, PAGE)) {
    const changes = [];
    for (const s of page) {
      tenants.add(s.tenantId);
      changes.push({ sessionId: s.id, ownerUid: await heirOf(s.tenantId) });
    }
    await setSessionOwners(changes);
    if (n === MAX_PAGES - 1) throw tooMuchForOneRequest();
  }
  for (const tenantId of tenants) await unlinkUserFromTenant(tenantId, uid, await heirOf(tenantId));
}
