// Keeps the insight aggregates (issue #19) in step with the issues: every change that can move an
// issue in them (finalize and re-estimate, the Jira sync recording time, a session given another
// client, a deleted issue, the backfill) computes the issue's entry anew and adds, to the batch of
// that change, the entry on the issue and the increments from the old entry to the new one.
import { entryDeltas, entryOf, firstRoundAgreed, refsOf, refId, sameEntry, type InsightEntry, type IssueFacts } from '../domain/insight-entries.js';
import { isOutlierCandidate, type OutlierCandidate, type YearAggregate } from '../domain/insight-stats.js';
import { getAggregates, writeAggregateDeltas, MAX_CANDIDATES, type CandidateChanges } from '../store/insights.js';
import type { IssueRecord } from '../store/issues.js';
import { listRoundVotes } from '../store/votes.js';

/** An issue before a change and its fields after it. */
export interface IssueChange { before: IssueRecord; after: IssueFacts & { title: string; jira: IssueRecord['jira'] }; clientId: string | null; deleted?: boolean }

/** Round 1 of the issue as the entry counts it: kept from the entry once it counts a revealed round 1, else read from its votes. */
export async function firstRoundOf(sessionId: string, issue: IssueRecord): Promise<{ voted: boolean; agreed: boolean }> {
  const revealed = (issue.revealedRounds ?? []).includes(1);
  // An entry made before round 1 was revealed (finalized first, voted on later) reads the votes then.
  if (issue.insight && (issue.insight.voted || !revealed)) return { voted: issue.insight.voted, agreed: issue.insight.agreed };
  if (!revealed) return { voted: false, agreed: false };
  const votes = await listRoundVotes(sessionId, issue.tenantId, issue.id, 1);
  return { voted: true, agreed: firstRoundAgreed(votes.flatMap((v) => (v.value === null ? [] : [v.value]))) };
}

/**
 * The entries the changes lead to (by issue id, only those that changed: the caller writes each
 * as the issue's `insight` in its own update of the issue) and the aggregate writes (to run inside
 * the change's batch).
 */
export async function prepareInsightWrites(tenantId: string, sessionId: string, changes: readonly IssueChange[]): Promise<{ entries: Map<string, InsightEntry | null>; write: (batch: FirebaseFirestore.WriteBatch) => number }> {
  const entries = new Map<string, InsightEntry | null>();
  const pairs: { before: InsightEntry | null; after: InsightEntry | null; change: IssueChange }[] = [];
  for (const c of changes) {
    const after = c.deleted ? null : entryOf(c.after, c.clientId, await firstRoundOf(sessionId, c.before));
    if (sameEntry(c.before.insight, after)) continue;
    entries.set(c.before.id, after);
    pairs.push({ before: c.before.insight ?? null, after, change: c });
  }
  const deltas = entryDeltas(tenantId, pairs);
  const candidates = await candidateChanges(tenantId, sessionId, pairs);
  return {
    entries,
    write: (batch) => writeAggregateDeltas(batch, tenantId, deltas, candidates),
  };
}

/** Outlier candidates to keep or drop, judged against the team's year as read now (one read per year). */
async function candidateChanges(tenantId: string, sessionId: string, pairs: readonly { before: InsightEntry | null; after: InsightEntry | null; change: IssueChange }[]): Promise<CandidateChanges> {
  const out: CandidateChanges = new Map();
  const set = (id: string, key: string, c: OutlierCandidate | null) => out.set(id, (out.get(id) ?? new Map()).set(key, c));
  const years = [...new Set(pairs.flatMap((p) => (p.after?.quarters ? [p.after.month.slice(0, 4)] : [])))];
  const docs = new Map((await getAggregates(tenantId, null, years)).map((d): [string, YearAggregate] => [d.year, d]));
  for (const { before, after, change } of pairs) {
    const key = `${sessionId}_${change.before.id}`;
    if (before?.quarters) for (const r of refsOf(before)) set(refId(tenantId, r), key, null);
    if (!after?.quarters) continue;
    const doc = docs.get(after.month.slice(0, 4));
    if (Object.keys(doc?.out ?? {}).length >= MAX_CANDIDATES || !isOutlierCandidate(doc, after.card, after.quarters / 4)) continue;
    const jira = change.after.jira;
    const candidate: OutlierCandidate = { card: after.card, month: after.month, quarters: after.quarters, sessionId, issueId: change.before.id, title: change.after.title, jiraKey: jira?.key ?? null, jiraUrl: jira?.url ?? null };
    for (const r of refsOf(after)) set(refId(tenantId, r), key, candidate);
  }
  return out;
}
