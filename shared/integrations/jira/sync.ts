// Re-reading imported issues from Jira: by keys (bulk fetch, 100 at a time), with the fields an
// import keeps plus `updated` and `timespent` (the time logged on the issue, from its worklogs).
import { bulkFetchIssues } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import { adfToText } from '../../domain/adf.js';
import { storyPointsOf } from '../../domain/story-points.js';
import { readJira } from './errors.js';

export interface SyncedIssue {
  key: string; title: string; description: string; status: string | null; storyPoints: number | null;
  issueType: string | null; priority: string | null; assignee: string | null; updatedAt: number | null; timeSpentSeconds: number | null;
}

const FIELDS = ['summary', 'description', 'issuetype', 'status', 'priority', 'assignee', 'updated', 'timespent'];
const nameOf = (v: unknown) => (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : null);

/** The current state of these keys in Jira; keys Jira no longer shows are in `gone`. */
export async function fetchForSync(client: Client, keys: string[], pointFields: string[]): Promise<{ issues: Map<string, SyncedIssue>; gone: string[] }> {
  const issues = new Map<string, SyncedIssue>();
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100);
    const result = await readJira(() => bulkFetchIssues(client, { issueIdsOrKeys: chunk, fields: [...FIELDS, ...pointFields] }));
    for (const raw of (result.issues ?? []) as { key?: string; fields?: Record<string, unknown> }[]) {
      const f = raw.fields ?? {};
      if (!raw.key || typeof f.summary !== 'string') continue;
      issues.set(raw.key, {
        key: raw.key, title: f.summary.slice(0, 200), description: adfToText(f.description), status: nameOf(f.status),
        storyPoints: storyPointsOf(f, pointFields), issueType: nameOf(f.issuetype), priority: nameOf(f.priority),
        assignee: f.assignee && typeof f.assignee === 'object' ? (f.assignee as { displayName?: string }).displayName ?? null : null,
        updatedAt: typeof f.updated === 'string' ? Date.parse(f.updated) : null,
        timeSpentSeconds: typeof f.timespent === 'number' ? f.timespent : null,
      });
    }
  }
  return { issues, gone: keys.filter((k) => !issues.has(k)) };
}
