// Reading issues by key (bulk fetch, at most 100 keys a call). Jira leaves out issues that do
// not exist or that the account may not see, and names in `issueErrors` (by issue id) only those
// it failed to return just now (a retriable error or a payload limit). So a key is "not found"
// only when Jira left it out and reported no failure it could be; otherwise it is "unavailable"
// (ask again later), never "no longer in Jira".
import { bulkFetchIssues } from 'jira.js/cloud';
import type { Client } from 'jira.js/core';
import { readJira } from './errors.js';

export type RawIssue = { id?: string; key?: string; fields?: Record<string, unknown> };
export interface BulkRead { found: Map<string, RawIssue>; notFound: string[]; unavailable: string[] }

const CHUNK = 100;

export async function bulkRead(client: Client, keys: string[], fields: string[]): Promise<BulkRead> {
  const read: BulkRead = { found: new Map(), notFound: [], unavailable: [] };
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    const result = await readJira(() => bulkFetchIssues(client, { issueIdsOrKeys: chunk, fields }));
    for (const raw of (result.issues ?? []) as RawIssue[]) if (raw.key) read.found.set(raw.key, raw);
    const failed = (result.issueErrors ?? []).map((e) => e.id);
    // An error that names no key of ours (Jira names issues by id) could be any absent key.
    const unclear = failed.some((id) => id === undefined || !chunk.includes(id));
    for (const key of chunk.filter((k) => !read.found.has(k))) (unclear || failed.includes(key) ? read.unavailable : read.notFound).push(key);
  }
  return read;
}
