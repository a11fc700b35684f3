// Issue triggers and the issue action: keep Reckon's copy of an issue current, and ask Reckon to
// estimate one. Jira's fields are sent as REST v3 returns them (docs/forge.md §3), only the ones
// Reckon reads, plus the story points from the project's estimation field.
import { KEYS_KEY, type Platform } from './platform.js';
import { boundCloudId, callReckon } from './reckon.js';
import { estimationField } from './fields.js';

const SENT_FIELDS = ['summary', 'description', 'issuetype', 'status', 'priority', 'assignee', 'timespent'];
/** How many requested keys the scheduled trigger keeps pulling estimates for. */
export const MAX_KEYS = 500;

const pick = (fields: Record<string, unknown>) => Object.fromEntries(SENT_FIELDS.filter((f) => f in fields).map((f) => [f, fields[f]]));
const points = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A Jira product event (avi:jira:updated:issue, avi:jira:deleted:issue) as Forge delivers it. */
export interface IssueEvent { eventType: string; issue: { id?: string; key: string; fields?: Record<string, unknown> } }

export async function onIssueEvent(p: Platform, event: IssueEvent): Promise<unknown> {
  const cloudId = await boundCloudId(p);
  if (!cloudId) return undefined;
  const key = event.issue.key;
  if (event.eventType === 'avi:jira:deleted:issue') return callReckon(p, 'POST', '/api/forge/events', { type: 'issue_deleted', cloudId, issue: { key } });
  const fields = event.issue.fields ?? {};
  if (typeof fields.summary !== 'string') return undefined; // nothing Reckon could show
  const field = await estimationField(p, key, new Map());
  return callReckon(p, 'POST', '/api/forge/events', {
    type: 'issue_updated', cloudId,
    issue: { key, ...(event.issue.id ? { id: event.issue.id } : {}), fields: pick(fields), ...(field && field in fields ? { storyPoints: points(fields[field]) } : {}) },
  });
}

/** The issue action "Ask Reckon for an estimate": sends the issue, remembers its key for write-back. */
export async function requestEstimate(p: Platform, key: string, siteUrl: string): Promise<{ sessionId: string | null; added: boolean }> {
  const cloudId = await boundCloudId(p);
  if (!cloudId) throw new Error('This Jira site is not bound to a Reckon team yet: an admin binds it on the Reckon admin page.');
  const field = await estimationField(p, key, new Map());
  const read = await p.requestJira(`/rest/api/3/issue/${encodeURIComponent(key)}?fields=${[...SENT_FIELDS, ...(field ? [field] : [])].join(',')}`);
  if (read.status !== 200) throw new Error(`Jira answered ${read.status} for ${key}.`);
  const fields = read.json.fields as Record<string, unknown>;
  const answer = await callReckon(p, 'POST', '/api/forge/events', {
    type: 'estimation_requested', cloudId, siteUrl,
    issues: [{ key, id: String(read.json.id), fields: pick(fields), ...(field ? { storyPoints: points(fields[field]) } : {}) }],
  });
  const keys = ((await p.get(KEYS_KEY)) as string[] | undefined) ?? [];
  await p.set(KEYS_KEY, [...keys.filter((k) => k !== key), key].slice(-MAX_KEYS)); // oldest first; the oldest go
  return { sessionId: answer?.sessionId ?? null, added: (answer?.created?.length ?? 0) > 0 };
}
