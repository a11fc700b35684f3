// Re-reading imported issues from Jira for the sync: by keys (bulk fetch), with the fields an
// import reads plus each issue's own story-point field (a board's estimation field, when a
// sprint import took the estimate from there).
import type { Client } from 'jira.js/core';
import { bulkRead, type BulkRead } from './bulk-fetch.js';
import { BASE_FIELDS } from './issues.js';

/** What Jira has now for these keys: found, not found, or unavailable (left as they are). */
export function fetchForSync(client: Client, keys: string[], pointFields: string[], extraFields: string[]): Promise<BulkRead> {
  return bulkRead(client, keys, [...new Set([...BASE_FIELDS, ...pointFields, ...extraFields])]);
}
