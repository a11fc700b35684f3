// What a Forge event does. Every event is idempotent: applying it twice leaves the same state
// (an update that changes nothing writes nothing; a requested key already in the Requests
// session is updated, not added again).
import { HttpError } from '../../shared/http/errors.js';
import { log } from '../../shared/http/log.js';
import type { ForgeEvent } from '../../shared/schemas/forge.js';
import { parseJiraSite } from '../../shared/domain/jira-site.js';
import type { JiraLink } from '../../shared/domain/room-state.js';
import { toImported, issuesByKeys, type ImportedIssue } from '../../shared/integrations/jira/issues.js';
import { clientForConnection } from '../../shared/integrations/jira/client.js';
import { listConnections } from '../../shared/store/jira-connections.js';
import { findIssuesByJiraKeys, getIssue, writeIssueUpdate, type IssueFields, type IssueRecord, type LocatedIssue } from '../../shared/store/issues.js';
import { prepareInsightWrites } from '../../shared/rooms/issue-insights.js';
import { commitRoomChange, withFreshSession } from '../../shared/store/sessions.js';
import { getInstallation, replaceInstallation, type ForgeInstallationRecord } from '../../shared/store/forge-installations.js';
import { mergeIntoSession } from '../../shared/rooms/imported-issues.js';
import { requestsSessionOf } from './requests-session.js';
import { revokedInstallation } from './installation-routes.js';

type IssueUpdated = Extract<ForgeEvent, { type: 'issue_updated' }>;
type Requested = Extract<ForgeEvent, { type: 'estimation_requested' }>;
type StoredJira = JiraLink & Record<string, unknown>;

/** Applies `change` to each located issue that it changes, one room commit per session. */
async function updateEverywhere(located: LocatedIssue[], change: (jira: StoredJira, title: string, description: string) => IssueFields | undefined, now: number): Promise<number> {
  const bySession = new Map<string, LocatedIssue[]>();
  for (const l of located) {
    const list = bySession.get(l.sessionId);
    if (list) list.push(l); else bySession.set(l.sessionId, [l]);
  }
  let changed = 0;
  for (const [sessionId, list] of bySession) {
    changed += await withFreshSession(sessionId, async (s) => {
      if (!s) return 0;
      // Read again after the session: the insight entry taken back must be the one stored now.
      const fresh = (await Promise.all(list.map((l) => getIssue(sessionId, l.issue.id)))).filter((i): i is IssueRecord => !!i?.jira && i.tenantId === s.record.tenantId);
      const writes = fresh.map((i) => ({ issue: i, fields: change(i.jira as StoredJira, i.title, i.description) })).filter((w) => w.fields);
      if (writes.length === 0) return 0;
      // Time logged, status or a deletion in Jira moves finalized issues in the insight aggregates, in the same batch.
      const insight = await prepareInsightWrites(s.record.tenantId, sessionId, writes.map((w) => ({ before: w.issue, after: { ...w.issue, ...w.fields!, jira: w.fields!.jira ?? w.issue.jira }, clientId: s.record.clientId })));
      const entry = (id: string) => (insight.entries.has(id) ? { insight: insight.entries.get(id) ?? null } : {});
      await commitRoomChange(s, { issues: true, writes: (batch) => writes.reduce((n, w) => n + writeIssueUpdate(batch, sessionId, w.issue.id, { ...w.fields!, ...entry(w.issue.id) }), insight.write(batch)) }, now);
      return writes.length;
    });
  }
  return changed;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The issue as an issue_updated event leaves it: the event's `fields` may hold only what changed
 * (a trigger's payload, a partial `requestJira`), so a field absent from it stays as it is and only
 * an explicit null clears one. `summary` is always there (the schema requires it).
 */
function applyUpdate(e: IssueUpdated, jira: StoredJira, title: string, description: string, now: number): IssueFields | undefined {
  const fields = e.issue.fields!;
  const has = (name: string) => Object.hasOwn(fields, name);
  const fresh = toImported({ key: e.issue.key, fields }, new URL(jira.url).origin, [])!;
  const f = fresh.jira;
  const next: StoredJira = {
    ...jira,
    ...(has('status') ? { status: f.status } : {}), ...(has('issuetype') ? { issueType: f.issueType } : {}),
    ...(has('priority') ? { priority: f.priority } : {}), ...(has('assignee') ? { assignee: f.assignee } : {}),
    ...(has('timespent') ? { timeSpentSeconds: f.timeSpentSeconds } : {}), ...(has('components') ? { components: f.components } : {}),
    storyPoints: e.issue.storyPoints !== undefined ? e.issue.storyPoints : jira.storyPoints, missing: false,
  };
  const nextDescription = has('description') ? fresh.description : description;
  const unchanged = fresh.title === title && nextDescription === description
    && Object.keys(next).every((k) => sameJson(next[k], k === 'missing' ? jira.missing ?? false : jira[k]));
  return unchanged ? undefined : { title: fresh.title, description: nextDescription, jira: { ...next, syncedAt: now } };
}

async function issueUpdated(e: IssueUpdated, tenantId: string, now: number) {
  const located = await findIssuesByJiraKeys(tenantId, [e.issue.key]);
  const updated = await updateEverywhere(located, (jira, title, description) => applyUpdate(e, jira, title, description, now), now);
  return { updated };
}

async function issueDeleted(key: string, tenantId: string, now: number) {
  const located = await findIssuesByJiraKeys(tenantId, [key]);
  const marked = await updateEverywhere(located, (jira) => (jira.missing ? undefined : { jira: { ...jira, missing: true, syncedAt: now } }), now);
  return { marked };
}

/** The requested issues: from the team's connection to that site when there is one, else (or for what it cannot read) from the event. */
async function requestedIssues(e: Requested, siteOrigin: string, tenantId: string): Promise<{ issues: ImportedIssue[]; missing: string[]; unavailable: string[]; connectionId: string | null; source: 'jira' | 'event' }> {
  const fromEvent = (keys: string[]) => e.issues.filter((i) => keys.includes(i.key) && i.fields)
    .map((i) => { const imported = toImported({ key: i.key, fields: i.fields }, siteOrigin, [])!; return { ...imported, jira: { ...imported.jira, storyPoints: i.storyPoints ?? null } }; });
  const keys = [...new Set(e.issues.map((i) => i.key))];
  const connection = (await listConnections(tenantId)).find((c) => c.siteUrl === siteOrigin);
  if (connection) {
    try {
      const read = await issuesByKeys(await clientForConnection(connection), connection.siteUrl, keys, connection.storyPointFieldIds);
      const filled = fromEvent([...read.missing, ...read.unavailable]);
      const unfilled = (list: string[]) => list.filter((k) => !filled.some((f) => f.jira.key === k));
      return { issues: [...read.issues, ...filled], missing: unfilled(read.missing), unavailable: unfilled(read.unavailable), connectionId: connection.id, source: 'jira' };
    } catch (err) {
      // Jira unreachable or the token broken: the event's own fields still let the team estimate.
      log('WARNING', 'forge: reading requested issues from Jira failed; using the event payload', { tenantId, error: err instanceof HttpError ? err.code : String(err) });
    }
  }
  const issues = fromEvent(keys);
  return { issues, missing: keys.filter((k) => !issues.some((i) => i.jira.key === k)), unavailable: [], connectionId: null, source: 'event' };
}

/** Adds the issues to the team's open Requests session; one closed meanwhile sends them to a new one. */
async function intoRequestsSession(installation: ForgeInstallationRecord, issues: ImportedIssue[], connectionId: string | null, now: number) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const session = await requestsSessionOf(installation, now);
    if (issues.length === 0) return { sessionId: session.record.id, created: [], updated: [] };
    const merged = await withFreshSession(session.record.id, async (s) => (s && s.record.status === 'open' ? mergeIntoSession(s, issues, connectionId, now) : undefined), session);
    if (merged) return { sessionId: session.record.id, ...merged };
  }
  throw new HttpError('conflict', 'The Requests session was closed or deleted meanwhile; send the event again.');
}

async function estimationRequested(e: Requested, installation: ForgeInstallationRecord, now: number) {
  const site = parseJiraSite(e.siteUrl);
  if (!site.ok) throw new HttpError('invalid_request', site.problem); // the schema refused it already
  const { issues, missing, unavailable, connectionId, source } = await requestedIssues(e, site.origin, installation.tenantId);
  return { ...(await intoRequestsSession(installation, issues, connectionId, now)), missing, unavailable, source };
}

async function appUninstalled(cloudId: string, now: number) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = await getInstallation(cloudId);
    if (!seen || seen.record.status === 'revoked') return { revoked: true };
    if (await replaceInstallation(seen, revokedInstallation(seen.record, now))) return { revoked: true };
  }
  throw new HttpError('conflict', 'The installation changed meanwhile; send the event again.');
}

export async function applyEvent(e: ForgeEvent, installation: ForgeInstallationRecord, now: number): Promise<Record<string, unknown>> {
  switch (e.type) {
    case 'issue_updated': return issueUpdated(e, installation.tenantId, now);
    case 'issue_deleted': return issueDeleted(e.issue.key, installation.tenantId, now);
    case 'estimation_requested': return estimationRequested(e, installation, now);
    case 'app_uninstalled': return appUninstalled(installation.cloudId, now);
  }
}

/** Every cloud id the payload names (its own, each issue's, each ARI's site). */
export function cloudIdsIn(e: ForgeEvent): string[] {
  const issues = e.type === 'estimation_requested' ? e.issues : 'issue' in e ? [e.issue] : [];
  return [e.cloudId, ...issues.flatMap((i) => [i.cloudId, i.ari?.split(':')[3]].filter((x): x is string => x !== undefined))];
}
