// Deleting sessions that outlived their team's retention, in steps that each commit on their
// own, so a run can stop anywhere and the next one finishes the work:
//   1. one batch deletes the session document (only if unchanged since read: a reopened session
//      stays), records `session.deleted` in the team's audit log and queues the session in
//      retentionQueue/{sessionId}: from then on no one sees the session;
//   2. batches of at most PAGE deletes remove its issues, votes, participants, summaries and join code;
//   3. when nothing is left, its queue entry goes.
import { Timestamp } from '@google-cloud/firestore';
import { getDb, isPreconditionFailure } from './firestore.js';
import { recordAuditIn, type AuditEvent } from './audit-events.js';
import type { StoredSession } from './sessions.js';
import { sessionFromSnapshot } from './sessions.js';
import { dropSessionCandidates } from './insights.js';

const PAGE = 400;
const SUBCOLLECTIONS = ['issues', 'votes', 'participants'] as const;
const queue = () => getDb().collection('retentionQueue');

export interface QueuedDeletion { sessionId: string; tenantId: string; joinCode: string }

/** A tenant's closed sessions last changed before `before`, oldest first. */
export async function listExpiredSessions(tenantId: string, before: number, limit: number): Promise<StoredSession[]> {
  const snap = await getDb().collection('sessions').where('tenantId', '==', tenantId).where('status', '==', 'closed')
    .where('updatedAt', '<', Timestamp.fromMillis(before)).orderBy('updatedAt').limit(limit).get();
  return snap.docs.map((d) => sessionFromSnapshot(d)!);
}

/** Tenants in id order after `after`, with their retention setting as stored. */
export async function listTenantsAfter(after: string | null, limit: number): Promise<{ tenantId: string; retentionDays: unknown }[]> {
  let q = getDb().collection('tenants').orderBy('__name__').limit(limit);
  if (after) q = q.startAfter(after);
  const snap = await q.get();
  return snap.docs.map((d) => ({ tenantId: d.id, retentionDays: d.get('sessionRetentionDays') }));
}

/** Step 1; false when the session changed since it was read (reopened, renamed): it stays. */
export async function beginSessionDeletion(s: StoredSession, audit: AuditEvent, now: number): Promise<boolean> {
  const db = getDb();
  const batch = db.batch();
  batch.delete(db.collection('sessions').doc(s.record.id), { lastUpdateTime: s.updateTime });
  batch.create(queue().doc(s.record.id), { tenantId: s.record.tenantId, joinCode: s.record.joinCode, queuedAt: Timestamp.fromMillis(now) });
  recordAuditIn(batch, audit);
  try {
    await batch.commit();
  } catch (e) {
    if (isPreconditionFailure(e)) return false;
    throw e;
  }
  return true;
}

export async function listQueuedDeletions(limit: number): Promise<QueuedDeletion[]> {
  const snap = await queue().orderBy('queuedAt').limit(limit).get();
  return snap.docs.map((d) => ({ sessionId: d.id, tenantId: d.get('tenantId'), joinCode: d.get('joinCode') }));
}

/** Up to `budget` documents of what a queued session left, by reference. */
async function leftovers(q: QueuedDeletion, budget: number): Promise<FirebaseFirestore.DocumentReference[]> {
  const db = getDb();
  const session = db.collection('sessions').doc(q.sessionId);
  const refs: FirebaseFirestore.DocumentReference[] = [];
  for (const name of SUBCOLLECTIONS) {
    if (refs.length >= budget) break;
    const snap = await session.collection(name).select().limit(budget - refs.length).get();
    refs.push(...snap.docs.map((d) => d.ref));
  }
  if (refs.length < budget) {
    const snap = await db.collection('summaries').where('tenantId', '==', q.tenantId).where('sessionId', '==', q.sessionId).select().limit(budget - refs.length).get();
    refs.push(...snap.docs.map((d) => d.ref));
  }
  if (refs.length < budget && q.joinCode) {
    const code = await db.collection('joinCodes').doc(q.joinCode).get();
    if (code.exists && code.get('sessionId') === q.sessionId) refs.push(code.ref);
  }
  return refs;
}

/**
 * Steps 2 and 3: deletes at most `budget` documents of a queued session (in batches of PAGE),
 * and its queue entry once nothing is left. Returns the deletes made and whether it is finished.
 */
export async function continueSessionDeletion(q: QueuedDeletion, budget: number): Promise<{ deleted: number; finished: boolean }> {
  const db = getDb();
  let deleted = 0;
  while (deleted < budget) {
    const refs = await leftovers(q, Math.min(PAGE, budget - deleted));
    if (refs.length === 0) {
      await dropSessionCandidates(q.tenantId, q.sessionId); // before the queue entry: a crash here is finished by the next run
      await queue().doc(q.sessionId).delete();
      return { deleted, finished: true };
    }
    const batch = db.batch();
    for (const ref of refs) batch.delete(ref);
    await batch.commit();
    deleted += refs.length;
  }
  return { deleted, finished: false };
}
