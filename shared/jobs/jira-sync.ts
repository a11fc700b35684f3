// The Jira sync job: for each connection (all tenants, in id order), check the credentials with
// /myself, then re-read the imported issues of the tenant's sessions active in the last 7 days and
// update what changed in Jira (fields, story points from the field each estimate came from, time
// logged), marking issues Jira no longer has; issues Jira failed to return just now stay as they
// are. One run at a time (a lease), bounded (so many connections per run; a cursor says where the
// next run continues, also after a crash), and idempotent (nothing changed → nothing written).
import { getCurrentUser } from 'jira.js/cloud';
import { newId } from '../security/tokens.js';
import { jiraFailure, readJira } from '../integrations/jira/errors.js';
import { clientForConnection } from '../integrations/jira/client.js';
import { fetchForSync } from '../integrations/jira/sync.js';
import type { BulkRead } from '../integrations/jira/bulk-fetch.js';
import { toImported } from '../integrations/jira/issues.js';
import { listAllConnections, markChecked, type JiraConnectionRecord } from '../store/jira-connections.js';
import { listActiveSessionsOfTenant, commitRoomChange, withFreshSession, type StoredSession } from '../store/sessions.js';
import { listIssues, writeIssueUpdate, type IssueRecord } from '../store/issues.js';
import { prepareInsightWrites } from '../rooms/issue-insights.js';
import { takeLease, releaseLease, readCursor, saveCursor } from '../store/job-state.js';

const JOB = 'jira-sync';
const ACTIVE_MS = 7 * 86_400_000;
const LEASE_MS = 10 * 60_000;

export interface SyncReport { skipped: boolean; connections: number; sessions: number; updated: number; gone: number; unavailable: number; failed: { connectionId: string; code: string }[]; done: boolean }
export interface SyncBounds { maxConnections?: number; maxSessionsPerConnection?: number }

type StoredJira = NonNullable<IssueRecord['jira']> & Record<string, unknown>;

/** The issue's new title, description and jira fields, or undefined when Jira says nothing new (or could not say now). */
function changesFor(issue: IssueRecord, c: JiraConnectionRecord, read: BulkRead, now: number) {
  const jira = issue.jira as StoredJira;
  if (read.unavailable.includes(jira.key)) return undefined; // a failure just now says nothing about the issue
  const raw = read.found.get(jira.key);
  const fresh = raw && toImported(raw, c.siteUrl, c.storyPointFieldIds, typeof jira.pointsFieldId === 'string' ? jira.pointsFieldId : null);
  if (!fresh) return jira.missing ? undefined : { jira: { ...jira, missing: true, syncedAt: now } };
  const f = fresh.jira;
  const next = { ...jira, status: f.status, storyPoints: f.storyPoints, issueType: f.issueType, priority: f.priority, assignee: f.assignee, timeSpentSeconds: f.timeSpentSeconds, components: f.components, missing: false };
  // An issue imported before is "not missing" whether or not the flag was ever written.
  const was: Record<string, unknown> = { ...jira, missing: jira.missing ?? false };
  const same = issue.title === fresh.title && issue.description === fresh.description
    && (Object.keys(next) as (keyof typeof next)[]).every((k) => JSON.stringify(next[k] ?? null) === JSON.stringify(was[k] ?? null));
  return same ? undefined : { title: fresh.title, description: fresh.description, jira: { ...next, syncedAt: now } };
}

const ofConnection = (issues: IssueRecord[], c: JiraConnectionRecord) => issues.filter((i) => (i.jira as StoredJira | null)?.connectionId === c.id);

async function syncSession(c: JiraConnectionRecord, seen: StoredSession, read: BulkRead, now: number): Promise<{ updated: number; gone: number; unavailable: number }> {
  return withFreshSession(seen.record.id, async (s) => {
    if (!s) return { updated: 0, gone: 0, unavailable: 0 };
    const issues = ofConnection(await listIssues(s.record.id, s.record.tenantId), c);
    const unavailable = issues.filter((i) => read.unavailable.includes(i.jira!.key)).length;
    const changes = issues.map((i) => ({ issue: i, change: changesFor(i, c, read, now) })).filter((x) => x.change);
    if (changes.length === 0) return { updated: 0, gone: 0, unavailable };
    // Time logged (and done or not) moves finalized issues in the insight aggregates, in the same batch.
    const insight = await prepareInsightWrites(s.record.tenantId, s.record.id, changes.map((x) => ({ before: x.issue, after: { ...x.issue, ...x.change! }, clientId: s.record.clientId })));
    const withEntry = (id: string) => (insight.entries.has(id) ? { insight: insight.entries.get(id) ?? null } : {});
    await commitRoomChange(s, { issues: true, writes: (batch) => changes.reduce((n, x) => n + writeIssueUpdate(batch, s.record.id, x.issue.id, { ...x.change!, ...withEntry(x.issue.id) }), insight.write(batch)) }, now);
    const gone = changes.filter((x) => (x.change!.jira as { missing?: boolean }).missing).length;
    return { updated: changes.length - gone, gone, unavailable };
  }, seen);
}

async function syncConnection(c: JiraConnectionRecord, now: number, maxSessions: number, report: SyncReport): Promise<void> {
  const client = await clientForConnection(c);
  await readJira(() => getCurrentUser(client)); // a bad token can look anonymous elsewhere: check first
  const sessions = await listActiveSessionsOfTenant(c.tenantId, now - ACTIVE_MS, maxSessions);
  const perSession = await Promise.all(sessions.map(async (s) => ({ s, issues: ofConnection(await listIssues(s.record.id, s.record.tenantId), c) })));
  const all = perSession.flatMap((x) => x.issues);
  const keys = [...new Set(all.map((i) => i.jira!.key))];
  // Each issue's own story-point field too (a sprint import's board field), so nothing overwrites it.
  const pointsFields = [...new Set(all.map((i) => (i.jira as StoredJira).pointsFieldId).filter((f): f is string => typeof f === 'string'))];
  const read = keys.length ? await fetchForSync(client, keys, c.storyPointFieldIds, pointsFields) : { found: new Map(), notFound: [], unavailable: [] };
  for (const { s, issues } of perSession) {
    if (issues.length === 0) continue;
    const r = await syncSession(c, s, read, now);
    report.sessions++;
    report.updated += r.updated;
    report.gone += r.gone;
    report.unavailable += r.unavailable;
  }
  await markChecked(c.id, now, {}, true);
}

export async function runJiraSync(now: number, bounds: SyncBounds = {}): Promise<SyncReport> {
  const report: SyncReport = { skipped: false, connections: 0, sessions: 0, updated: 0, gone: 0, unavailable: 0, failed: [], done: false };
  const runId = newId();
  if (!(await takeLease(JOB, runId, now, LEASE_MS))) return { ...report, skipped: true };
  try {
    const maxConnections = bounds.maxConnections ?? 20;
    const connections = await listAllConnections(await readCursor(JOB), maxConnections);
    for (const c of connections) {
      try {
        await syncConnection(c, now, bounds.maxSessionsPerConnection ?? 200, report);
      } catch (e) {
        report.failed.push({ connectionId: c.id, code: jiraFailure(e).code });
      }
      report.connections++;
      await saveCursor(JOB, c.id, now); // a crash after this point resumes with the next connection
    }
    report.done = connections.length < maxConnections;
    if (report.done) await saveCursor(JOB, null, now);
    return report;
  } finally {
    await releaseLease(JOB, runId);
  }
}
