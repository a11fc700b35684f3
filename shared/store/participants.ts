// Participants of a session: sessions/{id}/participants/{participantId}.
import { createHash } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import type { RoomParticipant } from '../domain/room-state.js';

export type ParticipantRecord = RoomParticipant & { tenantId: string };

const participants = (sessionId: string) => getDb().collection('sessions').doc(sessionId).collection('participants');

/**
 * A signed-in user's participant id in a session: derived, so joining twice is the same
 * participant and a vote needs no lookup. 128 bits of SHA-256 over two random ids.
 */
export function participantIdOfUser(sessionId: string, uid: string): string {
  return createHash('sha256').update(`participant\u0000${sessionId}\u0000${uid}`).digest().subarray(0, 16).toString('base64url');
}

function toRecord(id: string, d: FirebaseFirestore.DocumentData): ParticipantRecord {
  return {
    id, tenantId: d.tenantId, displayName: d.displayName, kind: d.kind, role: d.role, uid: d.uid ?? null,
    joinedAt: (d.joinedAt as Timestamp).toMillis(), lastSeenAt: (d.lastSeenAt as Timestamp).toMillis(),
  };
}

export function participantFromSnapshot(snap: FirebaseFirestore.DocumentSnapshot): ParticipantRecord | undefined {
  return snap.exists ? toRecord(snap.id, snap.data()!) : undefined;
}

export function participantRef(sessionId: string, participantId: string): FirebaseFirestore.DocumentReference {
  return participants(sessionId).doc(participantId);
}

export async function getParticipant(sessionId: string, participantId: string): Promise<ParticipantRecord | undefined> {
  const snap = await participantRef(sessionId, participantId).get();
  return participantFromSnapshot(snap);
}

export async function listParticipants(sessionId: string, tenantId: string): Promise<ParticipantRecord[]> {
  const snap = await participants(sessionId).where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

/** Participants last seen before `before` (the presence refresh: in a live room none, one read). */
export async function listParticipantsSeenBefore(sessionId: string, tenantId: string, before: number): Promise<ParticipantRecord[]> {
  const snap = await participants(sessionId).where('tenantId', '==', tenantId).where('lastSeenAt', '<', Timestamp.fromMillis(before)).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

/** Adds or replaces a participant as part of a room change (1 write). */
export function writeParticipant(batch: FirebaseFirestore.WriteBatch, sessionId: string, p: ParticipantRecord): number {
  const { id, joinedAt, lastSeenAt, ...fields } = p;
  batch.set(participants(sessionId).doc(id), { ...fields, joinedAt: Timestamp.fromMillis(joinedAt), lastSeenAt: Timestamp.fromMillis(lastSeenAt) });
  return 1;
}

export function removeParticipant(batch: FirebaseFirestore.WriteBatch, sessionId: string, participantId: string): number {
  batch.delete(participants(sessionId).doc(participantId));
  return 1;
}

/** Presence: records that the participant is still here; false when they are not a participant. */
export async function touchLastSeen(sessionId: string, participantId: string, now: number): Promise<boolean> {
  try {
    await participants(sessionId).doc(participantId).update({ lastSeenAt: Timestamp.fromMillis(now) });
    return true;
  } catch (e) {
    if ((e as { code?: number }).code === 5) return false; // NOT_FOUND
    throw e;
  }
}

/** Counts the voters of a session (an aggregation: one read per 1,000 entries). */
export async function countVoters(sessionId: string, tenantId: string): Promise<number> {
  const snap = await participants(sessionId).where('tenantId', '==', tenantId).where('role', '==', 'voter').count().get();
  return snap.data().count;
}

export async function countParticipants(sessionId: string, tenantId: string): Promise<number> {
  const snap = await participants(sessionId).where('tenantId', '==', tenantId).count().get();
  return snap.data().count;
}

export interface Participation { sessionId: string; participant: ParticipantRecord }

/**
 * Every room a user has a participant record in, across tenants: a collection-group query on
 * `uid` (index in firestore.indexes.json). Not led by tenantId: it is the user's own data, read
 * only for their export and erasure (docs/decisions.md). At most `limit` at a time.
 */
export async function listParticipationsOfUser(uid: string, limit = 500): Promise<Participation[]> {
  const snap = await getDb().collectionGroup('participants').where('uid', '==', uid).limit(limit).get();
  return snap.docs.map((d) => ({ sessionId: d.ref.parent.parent!.id, participant: toRecord(d.id, d.data()) }));
}
