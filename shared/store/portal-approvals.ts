// portalApprovals/{id}: every decision a portal user made on an estimate, kept as history (the
// current one is on the issue, cleared by a new estimate). tenantId, clientId, sessionId, issueId,
// decision, comment, uid, byName, at, finalEstimate, estimatedAt.
import { Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import { newId } from '../security/tokens.js';
import type { IssueApproval } from '../domain/room-state.js';

export interface ApprovalEntry extends IssueApproval { tenantId: string; clientId: string; sessionId: string; issueId: string; uid: string; finalEstimate: string; estimatedAt: number }

export function recordApprovalIn(batch: FirebaseFirestore.WriteBatch, e: ApprovalEntry): void {
  batch.create(getDb().collection('portalApprovals').doc(newId()), { ...e, at: Timestamp.fromMillis(e.at), estimatedAt: Timestamp.fromMillis(e.estimatedAt) });
}

export interface ApprovalOfUser { ref: FirebaseFirestore.DocumentReference; sessionId: string; issueId: string; byName: string; at: number }

/** Up to `limit` decisions the user made that still name them (an erased user's are scrubbed below). */
export async function listApprovalsOfUser(uid: string, limit: number): Promise<ApprovalOfUser[]> {
  const snap = await getDb().collection('portalApprovals').where('uid', '==', uid).limit(limit).get();
  return snap.docs.map((d) => ({ ref: d.ref, sessionId: d.get('sessionId'), issueId: d.get('issueId'), byName: d.get('byName') ?? '', at: (d.get('at') as Timestamp | undefined)?.toMillis() ?? 0 }));
}

/** The decisions stay in the history, by `name` and without the uid. */
export async function anonymiseApprovals(entries: ApprovalOfUser[], name: string): Promise<void> {
  const writer = getDb().bulkWriter();
  for (const e of entries) void writer.update(e.ref, { uid: null, byName: name });
  await writer.close();
}
