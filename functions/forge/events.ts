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
import { findIssuesByJiraKeys, writeIssueUpdate, type IssueFields, type LocatedIssue } from '../../shared/store/issues.js';
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
      const writes = list.map((l) => ({ id: l.issue.id, fields: change(l.issue.jira as StoredJira, l.issue.title, l.issue.description) })).filter((w) => w.fields);
      if (writes.length === 0) return 0;
      await commitRoomChange(s, { issues: true, writes: (batch) => writes.reduce((n, w) => n + writeIssueUpdate(batch, sessionId, w.id, w.fields!), 0) }, now);
      return writes.length;
    });
  }
  return changed;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

async function issueUpdated(e: IssueUpdated, tenantId: string, now: number) {
  const located = await findIssuesByJiraKeys(tenantId, [e.issue.key]);
  const updated = await updateEverywhere(located, (jira, title, description) => {
    const fresh = toImported({ key: e.issue.key, fields: e.issue.fields }, new URL(jira.url).origin, [])!;
    const next: StoredJira = {
      ...jira, status: fresh.jira.status, issueType: fresh.jira.issueType, priority: fresh.jira.priority, assignee: fresh.jira.assignee,
      storyPoints: e.issue.storyPoints !== undefined ? e.issue.storyPoints : jira.storyPoints, missing: false,
    };
    const unchanged = fresh.title === title && fresh.description === description
      && Object.keys(next).every((k) => sameJson(next[k], k === 'missing' ? jira.missing ?? false : jira[k]));
    return unchanged ? undefined : { title: fresh.title, description: fresh.description, jira: { ...next, syncedAt: now } };
  }, now);
  return { updated };
}

async function issueDeleted(key: string, tenantId: string, now: number) {
  const located = await findIssuesByJiraKeys(tenantId, [key]);
  const marked = await updateEverywhere(located, (jira) => (jira.missing ? undefined : { jira: { ...jira, missing: true, syncedAt: now } }), now);
  return { marked };
}

/** The requested issues: from the team's connection to that site when there is one, else (or for what it cannot read) from the event. */
async function requestedIssues(e: Requested, siteOrigin: string, tenantId: string): Promise<{ issues: ImportedIssue[]; missing: string[]; connectionId: string | null; source: 'jira' | 'event' }> {
  const fromEvent = (keys: string[]) => e.issues.filter((i) => keys.includes(i.key) && i.fields)
    .map((i) => { const imported = toImported({ key: i.key, fields: i.fields }, siteOrigin, [])!; return { ...imported, jira: { ...imported.jira, storyPoints: i.storyPoints ?? null } }; });
  const keys = [...new Set(e.issues.map((i) => i.key))];
  const connection = (await listConnections(tenantId)).find((c) => c.siteUrl === siteOrigin);
  if (connection) {
    try {
      const read = await issuesByKeys(await clientForConnection(connection), connection.siteUrl, keys, connection.storyPointFieldIds);
      const filled = fromEvent(read.missing);
      return { issues: [...read.issues, ...filled], missing: read.missing.filter((k) => !filled.some((f) => f.jira.key === k)), connectionId: connection.id, source: 'jira' };
    } catch (err) {
      // Jira unreachable or the token broken: the event's own fields still let the team estimate.
      log('WARNING', 'forge: reading requested issues from Jira failed; using the event payload', { tenantId, error: err instanceof HttpError ? err.code : String(err) });
    }
  }
  const issues = fromEvent(keys);
  return { issues, missing: keys.filter((k) => !issues.some((i) => i.jira.key === k)), connectionId: null, source: 'event' };
}

async function estimationRequested(e: Requested, installation: ForgeInstallationRecord, now: number) {
  const site = parseJiraSite(e.siteUrl);
  if (!site.ok) throw new HttpError('invalid_request', site.problem); // the schema refused it already
  const { issues, missing, connectionId, source } = await requestedIssues(e, site.origin, installation.tenantId);
  const session = await requestsSessionOf(installation, now);
  const merged = issues.length
    ? await withFreshSession(session.record.id, (s) => {
      if (!s) throw new HttpError('conflict', 'The Requests session was deleted meanwhile; send the event again.');
      return mergeIntoSession(s, issues, connectionId, now);
    }, session)
    : { created: [], updated: [] };
  return { sessionId: session.record.id, ...merged, missing, source };
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
