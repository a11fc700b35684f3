// Bringing Jira issues into a session (an import, a Forge estimation request): new keys are
// added at the end of the agenda, keys already in the session are updated in place, all in one
// commit of the room, so it lands whole or not at all.
import { HttpError } from '../http/errors.js';
import { newId } from '../security/tokens.js';
import { commitRoomChange, type StoredSession } from '../store/sessions.js';
import { listIssues, writeNewIssue, writeIssueUpdate, type IssueRecord } from '../store/issues.js';
import { MAX_ISSUES_PER_SESSION } from '../domain/limits.js';
import type { ImportedIssue } from '../integrations/jira/issues.js';
import { prepareInsightWrites } from './issue-insights.js';

export interface MergeResult { created: { id: string; key: string }[]; updated: { id: string; key: string }[] }

/** Adds the new issues and updates those already in the session; `connectionId` null when they did not come through a connection. */
export async function mergeIntoSession(s: StoredSession, imported: ImportedIssue[], connectionId: string | null, now: number): Promise<MergeResult> {
  const existing = await listIssues(s.record.id, s.record.tenantId);
  const byKey = new Map(existing.filter((i) => i.jira).map((i) => [i.jira!.key, i]));
  const fresh = imported.filter((i) => !byKey.has(i.jira.key));
  if (s.record.issueCount + fresh.length > MAX_ISSUES_PER_SESSION) {
    throw new HttpError('limit_reached', `A session holds at most ${MAX_ISSUES_PER_SESSION} issues; this would add ${fresh.length} to ${s.record.issueCount}.`);
  }
  const jiraOf = (i: ImportedIssue) => ({ ...i.jira, connectionId, syncedAt: now, missing: false });
  const created: IssueRecord[] = fresh.map((i, n) => ({
    id: newId(), tenantId: s.record.tenantId, title: i.title, description: i.description, order: s.record.nextIssueOrder + n,
    rounds: 0, finalEstimate: null, estimatedAt: null, jira: jiraOf(i), createdAt: now,
  }));
  const updated = imported.filter((i) => byKey.has(i.jira.key));
  // What the Forge app reported about writing the estimate into Jira stays: the write-back counters
  // count it, and the app's next run must know Reckon's own value from a human's.
  const jiraKept = (i: ImportedIssue) => {
    const was = byKey.get(i.jira.key)!.jira;
    return { ...jiraOf(i), ...(was?.writeBack ? { writeBack: was.writeBack } : {}), ...(was?.lastWritten ? { lastWritten: was.lastWritten } : {}) };
  };
  // A finalized issue imported again may bring new time logged or a new status: it moves in the insight aggregates.
  const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, updated.map((i) => {
    const before = byKey.get(i.jira.key)!;
    return { before, after: { ...before, title: i.title, jira: jiraOf(i) }, clientId: s.record.clientId };
  }));
  const entry = (id: string) => (insight.entries.has(id) ? { insight: insight.entries.get(id) ?? null } : {});
  await commitRoomChange(s, {
    fields: { nextIssueOrder: s.record.nextIssueOrder + created.length }, issues: true, issueCountDelta: created.length,
    writes: (batch) => created.reduce((n, r) => n + writeNewIssue(batch, s.record.id, r), 0)
      + updated.reduce((n, i) => { const id = byKey.get(i.jira.key)!.id; return n + writeIssueUpdate(batch, s.record.id, id, { title: i.title, description: i.description, jira: jiraKept(i), ...entry(id) }); }, insight.write(batch)),
  }, now);
  return { created: created.map((r) => ({ id: r.id, key: r.jira!.key })), updated: updated.map((i) => ({ id: byKey.get(i.jira.key)!.id, key: i.jira.key })) };
}
