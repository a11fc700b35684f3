// Importing Jira issues into a session: by JQL, by a board's sprint, or by keys; at most 200 at
// a time, decided on what the search really returns (all or nothing). An issue whose key is
// already in the session is updated, not added again (shared/rooms/imported-issues.ts), in one
// atomic change of the room. A token Jira no longer accepts answers 409 jira_connection_broken,
// never an empty success (errors.ts, guarded-fetch.ts).
import { defineRoute, type Route, type HandlerContext } from '../../shared/http/router.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { HttpError } from '../../shared/http/errors.js';
import { ConnectionPath, ImportBody, MAX_IMPORT } from '../../shared/schemas/jira.js';
import { moderate } from '../../shared/rooms/moderator.js';
import { mergeIntoSession } from '../../shared/rooms/imported-issues.js';
import { getConnection } from '../../shared/store/jira-connections.js';
import { issuesByJql, issuesByKeys, boardEstimationField, type ImportedIssue } from '../../shared/integrations/jira/issues.js';
import { loadSessionFor } from '../../shared/access/sessions.js';
import { clientOf, noSuchConnection } from './access.js';

const IMPORT_LIMIT: RateLimit = { name: 'jira:import:user', max: 60, windowS: 600 };

type Body = { sessionId: string; jql?: string; sprint?: { boardId: number; sprintId: number }; keys?: string[] };

async function fetchIssues(body: Body, connection: Parameters<typeof clientOf>[0]): Promise<{ issues: ImportedIssue[]; missing: string[]; unavailable: string[] }> {
  const client = await clientOf(connection);
  if (body.keys) return issuesByKeys(client, connection.siteUrl, [...new Set(body.keys)], connection.storyPointFieldIds);
  const boardField = body.sprint ? await boardEstimationField(client, body.sprint.boardId) : undefined;
  const jql = body.sprint ? `sprint = ${body.sprint.sprintId} ORDER BY rank` : body.jql!;
  return { issues: await issuesByJql(client, connection.siteUrl, jql, connection.storyPointFieldIds, MAX_IMPORT, boardField), missing: [], unavailable: [] };
}

const importIssues = defineRoute({
  method: 'POST', path: '/api/jira/connections/:id/import', permission: 'session.moderate', params: ConnectionPath, body: ImportBody,
  rateLimits: (_in, ctx) => [{ limit: IMPORT_LIMIT, subject: ctx.principal!.uid }],
  async handler({ params, body }, ctx: HandlerContext) {
    // The moderator check first: only then may the caller learn whether the connection exists.
    const { stored } = await loadSessionFor(ctx, 'session.moderate', body.sessionId);
    if (stored.record.status === 'closed') throw new HttpError('session_closed', 'This session is closed; reopen it first.');
    const connection = await getConnection(stored.record.tenantId, params.id);
    if (!connection) throw noSuchConnection();
    const { issues, missing, unavailable } = await fetchIssues(body, connection);
    const result = await moderate(stored.record.id, ctx, (s) => mergeIntoSession(s, issues, connection.id, ctx.now));
    return { body: { ...result, missing, unavailable } };
  },
});

export const importRoutes: Route[] = [importIssues];
