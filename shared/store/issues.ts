// Issues of a session: sessions/{id}/issues/{issueId}.
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { getDb } from './firestore.js';
import type { IssueApproval, RoomIssue, WriteBack } from '../domain/room-state.js';
import type { InsightEntry } from '../domain/insight-entries.js';

/** `revealedRounds`: the rounds whose cards were turned over; any other round stays face down for good. */
/** `insight`: what the issue adds to the insight aggregates now (shared/rooms/issue-insights.ts). */
export type IssueRecord = RoomIssue & { tenantId: string; createdAt: number; revealedRounds?: number[]; insight?: InsightEntry | null };

const issues = (sessionId: string) => getDb().collection('sessions').doc(sessionId).collection('issues');

function toRecord(id: string, d: FirebaseFirestore.DocumentData): IssueRecord {
  return {
    id, tenantId: d.tenantId, title: d.title, description: d.description ?? '', order: d.order, rounds: d.rounds ?? 0,
    finalEstimate: d.finalEstimate ?? null, estimatedAt: (d.estimatedAt as Timestamp | undefined)?.toMillis() ?? null,
    jira: d.jira ?? null, createdAt: (d.createdAt as Timestamp).toMillis(), approval: approvalOf(d.approval),
    revealedRounds: Array.isArray(d.revealedRounds) ? d.revealedRounds.filter((r: unknown): r is number => typeof r === 'number') : [],
    insight: (d.insight as InsightEntry | undefined) ?? null,
  };
}

function approvalOf(a: unknown): IssueApproval | null {
  if (!a || typeof a !== 'object') return null;
  const x = a as { decision: IssueApproval['decision']; comment?: string; byName?: string; at?: Timestamp; clientId?: string };
  return { decision: x.decision, comment: x.comment ?? '', byName: x.byName ?? '', at: x.at?.toMillis() ?? 0, clientId: x.clientId ?? '' };
}

/** The issue with the time it was last written (an approval is written only if it is still as read). */
export async function getIssueAsRead(sessionId: string, issueId: string): Promise<{ issue: IssueRecord; updateTime: Timestamp } | undefined> {
  const snap = await issues(sessionId).doc(issueId).get();
  return snap.exists ? { issue: toRecord(issueId, snap.data()!), updateTime: snap.updateTime! } : undefined;
}

/** Records the client's decision on the issue, failing (FAILED_PRECONDITION) if the issue changed since it was read. */
export function writeApproval(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string, a: IssueApproval, asRead: Timestamp): number {
  batch.update(issues(sessionId).doc(issueId), { approval: { decision: a.decision, comment: a.comment, byName: a.byName, at: Timestamp.fromMillis(a.at), clientId: a.clientId } }, { lastUpdateTime: asRead });
  return 1;
}

/** Renames who made the issue's current approval, if the issue is still as read (FAILED_PRECONDITION otherwise). */
export function writeApprovalName(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string, byName: string, asRead: Timestamp): number {
  batch.update(issues(sessionId).doc(issueId), { 'approval.byName': byName }, { lastUpdateTime: asRead });
  return 1;
}

export async function getIssue(sessionId: string, issueId: string): Promise<IssueRecord | undefined> {
  const snap = await issues(sessionId).doc(issueId).get();
  return snap.exists ? toRecord(issueId, snap.data()!) : undefined;
}

export async function listIssues(sessionId: string, tenantId: string): Promise<IssueRecord[]> {
  const snap = await issues(sessionId).where('tenantId', '==', tenantId).get();
  return snap.docs.map((d) => toRecord(d.id, d.data()));
}

export function writeNewIssue(batch: FirebaseFirestore.WriteBatch, sessionId: string, issue: IssueRecord): number {
  const { id, estimatedAt, createdAt, ...fields } = issue;
  batch.create(issues(sessionId).doc(id), { ...fields, estimatedAt: estimatedAt === null ? null : Timestamp.fromMillis(estimatedAt), createdAt: Timestamp.fromMillis(createdAt) });
  return 1;
}

export type IssueFields = Partial<Pick<IssueRecord, 'title' | 'description' | 'order' | 'rounds' | 'finalEstimate' | 'jira' | 'insight'>> & { estimatedAt?: number | null; estimatedBy?: string | null; approval?: null };

/** Updates an issue that must exist (the commit fails with NOT_FOUND otherwise). */
export function writeIssueUpdate(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string, fields: IssueFields): number {
  const { estimatedAt, ...rest } = fields;
  const update: Record<string, unknown> = { ...rest };
  if (estimatedAt !== undefined) update.estimatedAt = estimatedAt === null ? null : Timestamp.fromMillis(estimatedAt);
  batch.update(issues(sessionId).doc(issueId), update);
  return 1;
}

/**
 * Records the Forge app's write-back outcome on the issue's Jira link (only that field of it). A
 * write is also kept as `jira.lastWritten`, which a later failure, skip or retry leaves alone: the
 * app must still know which value in Jira is Reckon's own (forge `lastWrittenEstimate`).
 */
export function writeJiraWriteBack(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string, w: WriteBack): number {
  const written = w.status === 'written' ? { 'jira.lastWritten': { estimate: w.estimate, at: w.at } } : {};
  batch.update(issues(sessionId).doc(issueId), { 'jira.writeBack': { status: w.status, estimate: w.estimate, message: w.message, at: w.at }, ...written });
  return 1;
}

/** Records that a round of the issue was revealed (part of the reveal's room change). */
export function writeRoundRevealed(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string, round: number): number {
  batch.update(issues(sessionId).doc(issueId), { revealedRounds: FieldValue.arrayUnion(round) });
  return 1;
}

export function writeIssueDelete(batch: FirebaseFirestore.WriteBatch, sessionId: string, issueId: string): number {
  batch.delete(issues(sessionId).doc(issueId));
  return 1;
}

export interface LocatedIssue { sessionId: string; issue: IssueRecord }

/** Firestore's `in` takes at most 30 values. */
const IN_LIMIT = 30;

/**
 * The tenant's issues linked to these Jira keys, in every session (a collection-group query on
 * tenantId + jira.key; the tenant filter is what keeps other tenants' sessions out).
 */
export async function findIssuesByJiraKeys(tenantId: string, keys: readonly string[]): Promise<LocatedIssue[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += IN_LIMIT) chunks.push(keys.slice(i, i + IN_LIMIT));
  const snaps = await Promise.all(chunks.map((chunk) => getDb().collectionGroup('issues').where('tenantId', '==', tenantId).where('jira.key', 'in', chunk).get()));
  return snaps.flatMap((s) => s.docs).map((d) => ({ sessionId: d.ref.parent.parent!.id, issue: toRecord(d.id, d.data()) }));
}

/** The tenant's most recently estimated issues across its sessions (the history suggestions learn from), at most `limit`. */
export async function listEstimatedIssues(tenantId: string, limit = 500): Promise<LocatedIssue[]> {
  const snap = await getDb().collectionGroup('issues').where('tenantId', '==', tenantId).orderBy('estimatedAt', 'desc').limit(limit).get();
  return snap.docs.map((d) => ({ sessionId: d.ref.parent.parent!.id, issue: toRecord(d.id, d.data()) })).filter((l) => l.issue.finalEstimate !== null);
}

/**
 * The team's most recently estimated issue, as a marker of its history: a new or changed final
 * estimate anywhere in the team changes it (one read, where the history itself is up to 500).
 */
export async function latestEstimateMarker(tenantId: string): Promise<string> {
  const snap = await getDb().collectionGroup('issues').where('tenantId', '==', tenantId).orderBy('estimatedAt', 'desc').limit(1).get();
  const d = snap.docs[0];
  return d ? `${d.ref.path}@${(d.get('estimatedAt') as Timestamp | null)?.toMillis() ?? 0}=${d.get('finalEstimate') ?? ''}` : '';
}
