// Shapes of the Jira API, declared once.
import * as z from 'zod';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a valid id.');
export const JiraKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,49}-[1-9][0-9]{0,9}$/, 'Not a Jira issue key (like PROJ-12).');
export const Jql = z.string().trim().min(1, 'Enter a JQL query.').max(2000, 'Use at most 2,000 characters of JQL.');

export const ConnectBody = z.strictObject({
  tenantId: Id,
  siteUrl: z.string().max(200),
  email: z.string().trim().email('Enter the email of the Jira account.').max(254),
  /** Atlassian API tokens are about 190 characters; scoped ones are similar. */
  apiToken: z.string().trim().min(10, 'Paste the whole API token.').max(1000, 'That is not an API token.'),
});
export const TenantQuery = z.strictObject({ tenantId: Id });
export const ConnectionPath = z.strictObject({ id: Id });
export const BoardPath = z.strictObject({ id: Id, boardId: z.coerce.number().int().min(1).max(1e12) });
export const CountBody = z.strictObject({ jql: Jql });

export const MAX_IMPORT = 200;
export const ImportBody = z.strictObject({
  sessionId: Id,
  jql: Jql.optional(),
  sprint: z.strictObject({ boardId: z.number().int().min(1), sprintId: z.number().int().min(1) }).optional(),
  keys: z.array(JiraKey).min(1).max(MAX_IMPORT, `Import at most ${MAX_IMPORT} issues at once.`).optional(),
}).refine((b) => [b.jql, b.sprint, b.keys].filter((x) => x !== undefined).length === 1, 'Import by exactly one of jql, sprint or keys.');

export interface ConnectionView {
  id: string; tenantId: string; siteUrl: string; accountEmail: string; tokenHint: string; jiraAccountName: string;
  storyPointFieldIds: string[]; createdAt: string; lastCheckedAt: string;
}
