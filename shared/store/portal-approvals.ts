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
