// Reading issues for an import: by JQL (the enhanced search with nextPageToken), by a board's
// sprint (JQL `sprint = N`), or by keys (bulk fetch, which names the missing ones).
import { searchAndReconsileIssuesUsingJqlPost, bulkFetchIssues, countIssues } from 'jira.js/cloud';
import { getConfiguration } from 'jira.js/agile';
import type { Client } from 'jira.js/core';
import { adfToText } from '../../domain/adf.js';
import { storyPointsOf } from '../../domain/story-points.js';
import type { JiraLink } from '../../domain/room-state.js';
import { readJira } from './errors.js';

export interface ImportedIssue { title: string; description: string; jira: JiraLink & { issueType: string | null; priority: string | null; assignee: string | null; timeSpentSeconds: number | null } }

const BASE_FIELDS = ['summary', 'description', 'issuetype', 'status', 'priority', 'assignee', 'timespent'];
export type RawIssue = { key?: string; fields?: Record<string, unknown> };
const nameOf = (v: unknown) => (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : null);

export function toImported(raw: RawIssue, siteUrl: string, pointFields: string[], boardField?: string): ImportedIssue | undefined {
  const f = raw.fields ?? {};
  if (!raw.key || typeof f.summary !== 'string') return undefined;
  const assignee = f.assignee && typeof f.assignee === 'object' ? (f.assignee as { displayName?: string }).displayName ?? null : null;
  return {
    title: f.summary.slice(0, 200),
    description: adfToText(f.description),
    jira: {
      key: raw.key, url: `${siteUrl}/browse/${encodeURIComponent(raw.key)}`, status: nameOf(f.status), storyPoints: storyPointsOf(f, pointFields, boardField),
      issueType: nameOf(f.issuetype), priority: nameOf(f.priority), assignee,
      timeSpentSeconds: typeof f.timespent === 'number' ? f.timespent : null,
    },
  };
}

export async function countJql(client: Client, jql: string): Promise<number> {
  return (await readJira(() => countIssues(client, { jql }))).count ?? 0;
}

/** Every issue a JQL finds, page by page; the caller checks the count first. */
export async function issuesByJql(client: Client, siteUrl: string, jql: string, pointFields: string[], max: number, boardField?: string): Promise<ImportedIssue[]> {
  const out: ImportedIssue[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await readJira(() => searchAndReconsileIssuesUsingJqlPost(client, { jql, fields: [...BASE_FIELDS, ...pointFields, ...(boardField ? [boardField] : [])], maxResults: 100, nextPageToken }));
    for (const raw of (page.issues ?? []) as RawIssue[]) {
      const issue = toImported(raw, siteUrl, pointFields, boardField);
      if (issue && out.length < max) out.push(issue);
    }
    nextPageToken = page.isLast ? undefined : page.nextPageToken ?? undefined;
  } while (nextPageToken && out.length < max);
  return out;
}

export async function issuesByKeys(client: Client, siteUrl: string, keys: string[], pointFields: string[]): Promise<{ issues: ImportedIssue[]; missing: string[] }> {
  const result = await readJira(() => bulkFetchIssues(client, { issueIdsOrKeys: keys, fields: [...BASE_FIELDS, ...pointFields] }));
  const issues = ((result.issues ?? []) as RawIssue[]).map((r) => toImported(r, siteUrl, pointFields)).filter((i): i is ImportedIssue => !!i);
  const found = new Set(issues.map((i) => i.jira.key));
  return { issues, missing: keys.filter((k) => !found.has(k)) };
}

/** The board's estimation field (more reliable than guessing from names), if it has one. */
export async function boardEstimationField(client: Client, boardId: number): Promise<string | undefined> {
  const config = await readJira(() => getConfiguration(client, { boardId }));
  const field = (config as { estimation?: { field?: { fieldId?: string } } }).estimation?.field?.fieldId;
  return typeof field === 'string' ? field : undefined;
}
