// Votes: sessions/{id}/votes/{issueId}_{round}_{participantId}. A vote is one write to its own
// document; it never rewrites the session document (DESIGN.md §3).
import { FieldValue } from '@google-cloud/firestore';
import * as z from 'zod';
import { getDb } from './firestore.js';
import { sessionFromSnapshot, type StoredSession } from './sessions.js';
import { participantFromSnapshot, participantRef, type ParticipantRecord } from './participants.js';
import { ROOM_CLOCK_ID } from './room-clock.js';

/** `note`: the voter's reason for the card (issue #18), hidden exactly like the card until the reveal. */
export interface VoteRecord { participantId: string; issueId: string; round: number; value: string | null; note?: string | null }

/**
 * What a vote document holds that the code may use; the stored `tenantId` and `updatedAt` stay
 * in the store (a stored document is never passed on, issue #15 item 10).
 */
const StoredVote = z.object({ participantId: z.string(), issueId: z.string(), round: z.number().int(), value: z.string().nullable(), note: z.string().nullable().optional() });
const toVote = (d: FirebaseFirestore.QueryDocumentSnapshot): VoteRecord => {
  const { note, ...vote } = StoredVote.parse(d.data());
  return { ...vote, note: note ?? null };
};

const votes = (sessionId: string) => getDb().collection('sessions').doc(sessionId).collection('votes');
const voteId = (issueId: string, round: number, participantId: string) => `${issueId}_${round}_${participantId}`;

export interface VoteContext { session: StoredSession | undefined; participant: ParticipantRecord | undefined; current: string | null | undefined; currentNote?: string | null }

/**
 * Records (or retracts, with value null) a vote in a transaction that reads the session and the
 * vote, so a vote never lands after a reveal it did not see; the participant is read at the same
 * time. `admit` throws to refuse; an unchanged vote is not written again.
 */
export async function recordVote(sessionId: string, vote: VoteRecord, admit: (c: VoteContext) => void): Promise<{ session: StoredSession; written: boolean }> {
  const db = getDb();
  const ref = votes(sessionId).doc(voteId(vote.issueId, vote.round, vote.participantId));
  const out = await db.runTransaction(async (tx) => {
    // The participant is read beside the transaction, not in it: presence writes touch that
    // document every minute and would abort the vote. A change of role also changes the session
    // document, which the transaction does read, so the check is never stale.
    const [[s, v], p] = await Promise.all([tx.getAll(db.collection('sessions').doc(sessionId), ref), participantRef(sessionId, vote.participantId).get()]);
    const context: VoteContext = { session: sessionFromSnapshot(s!), participant: participantFromSnapshot(p), current: v!.exists ? (v!.get('value') as string | null) : undefined, currentNote: v!.exists ? ((v!.get('note') as string | null | undefined) ?? null) : null };
    admit(context);
    const note = vote.value === null ? null : vote.note ?? null; // a retracted card takes its note with it
    const unchanged = (context.current === vote.value && context.currentNote === note) || (context.current === undefined && vote.value === null);
    if (!unchanged) tx.set(ref, { ...vote, note, tenantId: context.session!.record.tenantId, updatedAt: FieldValue.serverTimestamp() });
    return { session: context.session!, written: !unchanged };
  });
  return out;
}

export async function getVote(sessionId: string, issueId: string, round: number, participantId: string): Promise<string | null> {
  return (await getVoteWithNote(sessionId, issueId, round, participantId)).value;
}

/** The caller's own card and note in a round (nulls when there is none). */
export async function getVoteWithNote(sessionId: string, issueId: string, round: number, participantId: string): Promise<{ value: string | null; note: string | null }> {
  const snap = await votes(sessionId).doc(voteId(issueId, round, participantId)).get();
  return snap.exists ? { value: snap.get('value') as string | null, note: (snap.get('value') === null ? null : (snap.get('note') as string | null | undefined)) ?? null } : { value: null, note: null };
}

export async function listRoundVotes(sessionId: string, tenantId: string, issueId: string, round: number): Promise<VoteRecord[]> {
  const snap = await votes(sessionId).where('tenantId', '==', tenantId).where('issueId', '==', issueId).where('round', '==', round).get();
  return snap.docs.map(toVote);
}

/** Every vote of a session, all issues and rounds (the results export). */
export async function listSessionVotes(sessionId: string, tenantId: string): Promise<VoteRecord[]> {
  const snap = await votes(sessionId).where('tenantId', '==', tenantId).get();
  return snap.docs.filter((d) => d.id !== ROOM_CLOCK_ID).map(toVote);
}

/** How many cards are down in a round (an aggregation: one read per 1,000 entries). */
export async function countRoundVotes(sessionId: string, tenantId: string, issueId: string, round: number): Promise<number> {
  const snap = await votes(sessionId).where('tenantId', '==', tenantId).where('issueId', '==', issueId).where('round', '==', round)
    .where('value', '!=', null).count().get();
  return snap.data().count;
}

/** Takes a participant's card back as part of a room change (they stopped voting or left). */
export function writeVoteRetraction(batch: FirebaseFirestore.WriteBatch, sessionId: string, tenantId: string, vote: Omit<VoteRecord, 'value'>): number {
  batch.set(votes(sessionId).doc(voteId(vote.issueId, vote.round, vote.participantId)), { ...vote, value: null, note: null, tenantId, updatedAt: FieldValue.serverTimestamp() });
  return 1;
}

/** Every card a participant has in a session (their export and erasure), at most `limit`. */
export async function listVotesOfParticipant(sessionId: string, tenantId: string, participantId: string, limit = 500): Promise<VoteRecord[]> {
  const snap = await votes(sessionId).where('tenantId', '==', tenantId).where('participantId', '==', participantId).limit(limit).get();
  return snap.docs.map(toVote);
}

/** Deletes a vote document (1 write). */
export function writeVoteDelete(batch: FirebaseFirestore.WriteBatch, sessionId: string, vote: Omit<VoteRecord, 'value'>): number {
  batch.delete(votes(sessionId).doc(voteId(vote.issueId, vote.round, vote.participantId)));
  return 1;
}

/** Moves a card to another participant id: the new document, and the old one deleted (2 writes). */
export function writeVoteMove(batch: FirebaseFirestore.WriteBatch, sessionId: string, tenantId: string, vote: VoteRecord, toParticipantId: string): number {
  const moved = { ...vote, participantId: toParticipantId };
  batch.set(votes(sessionId).doc(voteId(vote.issueId, vote.round, toParticipantId)), { ...moved, tenantId, updatedAt: FieldValue.serverTimestamp() });
  return 1 + writeVoteDelete(batch, sessionId, vote);
}
