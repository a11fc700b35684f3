// Reading issues for an import: by JQL (the enhanced search with nextPageToken), by a board's
// sprint (JQL `sprint = N`, story points from the board's estimation field), or by keys.
import { searchAndReconsileIssuesUsingJqlPost, countIssues } from 'jira.js/cloud';
import { getConfiguration } from 'jira.js/agile';
import type { Client } from 'jira.js/core';
import { adfToText } from '../../domain/adf.js';
import { storyPointsOf } from '../../domain/story-points.js';
import { capText } from '../../domain/text.js';
import type { JiraLink } from '../../domain/room-state.js';
import { HttpError } from '../../http/errors.js';
import { readJira } from './errors.js';
import { bulkRead, type RawIssue } from './bulk-fetch.js';

export type { RawIssue } from './bulk-fetch.js';
export interface ImportedIssue {
  title: string; description: string;
  jira: JiraLink & {
    issueType: string | null; priority: string | null; assignee: string | null; timeSpentSeconds: number | null;
    /** The issue's components, names only (the suggestion's similarity uses them). */
    components: string[];
    /** The field read first for story points (a board's estimation field), null for the site's story-point fields; the sync reads the same. */
    pointsFieldId: string | null;
  };
}

export const MAX_TITLE_LENGTH = 200;
const MAX_NAME_LENGTH = 100;
export const BASE_FIELDS = ['summary', 'description', 'issuetype', 'status', 'priority', 'assignee', 'timespent', 'components'];
const MAX_COMPONENTS = 20;
const nameOf = (v: unknown) => (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? capText((v as { name: string }).name, MAX_NAME_LENGTH) : null);
/** Jira's `components`: [{self, id, name, description?}]; the names only, capped. */
const componentsOf = (v: unknown) => (Array.isArray(v) ? [...new Set(v.map(nameOf).filter((n): n is string => !!n))].slice(0, MAX_COMPONENTS) : []);
const displayNameOf = (v: unknown) => (v && typeof v === 'object' && typeof (v as { displayName?: unknown }).displayName === 'string' ? capText((v as { displayName: string }).displayName, MAX_NAME_LENGTH) : null);

/** An issue as Reckon keeps it; text capped on character boundaries, so reading it again gives the same. */
export function toImported(raw: RawIssue, siteUrl: string, pointFields: string[], boardField?: string | null): ImportedIssue | undefined {
  const f = raw.fields ?? {};
  if (!raw.key || typeof f.summary !== 'string') return undefined;
  return {
    title: capText(f.summary, MAX_TITLE_LENGTH),
    description: adfToText(f.description),
    jira: {
      key: raw.key, url: `${siteUrl}/browse/${encodeURIComponent(raw.key)}`, status: nameOf(f.status), storyPoints: storyPointsOf(f, pointFields, boardField ?? undefined),
      issueType: nameOf(f.issuetype), priority: nameOf(f.priority), assignee: displayNameOf(f.assignee),
      timeSpentSeconds: typeof f.timespent === 'number' ? f.timespent : null, components: componentsOf(f.components), pointsFieldId: boardField ?? null,
    },
  };
}

export async function countJql(client: Client, jql: string): Promise<number> {
  return (await readJira(() => countIssues(client, { jql }))).count ?? 0;
}

const tooMany = (max: number) => new HttpError('limit_reached', `This query finds more than ${max} issues; import at most ${max} at a time (narrow the query).`);

/**
 * Every issue a JQL finds, page by page, decided on what the search really returns (Jira's
 * approximate count can lag): more than `max` refuses the whole import (limit_reached), after
 * reading at most `max` + one page.
 */
export async function issuesByJql(client: Client, siteUrl: string, jql: string, pointFields: string[], max: number, boardField?: string): Promise<ImportedIssue[]> {
  const found: RawIssue[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await readJira(() => searchAndReconsileIssuesUsingJqlPost(client, { jql, fields: [...BASE_FIELDS, ...pointFields, ...(boardField ? [boardField] : [])], maxResults: 100, nextPageToken }));
    found.push(...((page.issues ?? []) as RawIssue[]));
    if (found.length > max) throw tooMany(max);
    nextPageToken = page.isLast ? undefined : page.nextPageToken ?? undefined;
  } while (nextPageToken);
  return found.map((raw) => toImported(raw, siteUrl, pointFields, boardField)).filter((i): i is ImportedIssue => !!i);
}

/** The issues with these keys; `missing`: Jira does not have them (for this account); `unavailable`: Jira failed to return them just now. */
export async function issuesByKeys(client: Client, siteUrl: string, keys: string[], pointFields: string[]): Promise<{ issues: ImportedIssue[]; missing: string[]; unavailable: string[] }> {
  const read = await bulkRead(client, keys, [...BASE_FIELDS, ...pointFields]);
  const issues = [...read.found.values()].map((r) => toImported(r, siteUrl, pointFields)).filter((i): i is ImportedIssue => !!i);
  const found = new Set(issues.map((i) => i.jira.key));
  return { issues, missing: keys.filter((k) => !found.has(k) && !read.unavailable.includes(k)), unavailable: read.unavailable };
}

/** The board's estimation field (more reliable than guessing from names), if it has one. */
export async function boardEstimationField(client: Client, boardId: number): Promise<string | undefined> {
  const config = await readJira(() => getConfiguration(client, { boardId }));
  const field = (config as { estimation?: { field?: { fieldId?: string } } }).estimation?.field?.fieldId;
  return typeof field === 'string' && /^[a-z][A-Za-z0-9_]{0,63}$/.test(field) ? field : undefined;
}
