// The session aggregate: sessions/{id}, and joinCodes/{code} created with create() so a code is unique.
import { Timestamp } from '@google-cloud/firestore';
import { getDb, commitCreates } from './firestore.js';
import { countFirestore } from '../http/context.js';
import type { Deck } from '../domain/decks.js';

export interface SessionRecord {
  id: string; tenantId: string; clientId: string | null; name: string; ownerUid: string; deck: Deck;
  status: 'open' | 'closed'; autoReveal: boolean; joinCode: string; currentIssueId: string | null;
  round: number; revealed: boolean; stateVersion: number; createdAt: number;
}

export class JoinCodeTakenError extends Error {}

/** Creates the session and its join code atomically; JoinCodeTakenError when the code exists. */
export async function createSession(s: SessionRecord, joinCodeExpiresAt: number): Promise<void> {
  const db = getDb();
  const batch = db.batch();
  batch.create(db.collection('joinCodes').doc(s.joinCode), { tenantId: s.tenantId, sessionId: s.id, expiresAt: Timestamp.fromMillis(joinCodeExpiresAt) });
  const { id: _id, createdAt, ...fields } = s;
  batch.create(db.collection('sessions').doc(s.id), { ...fields, createdAt: Timestamp.fromMillis(createdAt), updatedAt: Timestamp.fromMillis(createdAt) });
  if (!(await commitCreates(batch))) throw new JoinCodeTakenError();
  countFirestore(0, 2);
}

function toRecord(id: string, d: FirebaseFirestore.DocumentData): SessionRecord {
  return {
    id, tenantId: d.tenantId, clientId: d.clientId ?? null, name: d.name, ownerUid: d.ownerUid, deck: d.deck, status: d.status,
    autoReveal: d.autoReveal, joinCode: d.joinCode, currentIssueId: d.currentIssueId ?? null, round: d.round, revealed: d.revealed,
    stateVersion: d.stateVersion, createdAt: (d.createdAt as Timestamp).toMillis(),
  };
}

export async function getSession(id: string): Promise<SessionRecord | undefined> {
  const snap = await getDb().collection('sessions').doc(id).get();
  countFirestore(1);
  return snap.exists ? toRecord(id, snap.data()!) : undefined;
}

/** A tenant's sessions, newest first (composite index tenantId + createdAt desc). */
export async function listSessionsOfTenant(tenantId: string, limit = 100): Promise<SessionRecord[]> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).orderBy('createdAt', 'desc').limit(limit).get();
  countFirestore(Math.max(1, snap.size));
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}
