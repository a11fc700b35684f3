// The session summary a client may read (issue #18): the client-safe version stored beside the
// team's session summary (Gemini's or the statistical one: finalized estimates only, no names, no
// votes, no notes), as long as it was made from the session's finalized estimates as they are now;
// otherwise the statistical one from them. Only for a session assigned to this client.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { ApprovalPath } from '../../shared/schemas/portal.js';
import { loadClientForPortal } from '../../shared/access/portal.js';
import { getStoredSession } from '../../shared/store/sessions.js';
import { listIssues } from '../../shared/store/issues.js';
import { getSummary, sessionSummaryId } from '../../shared/store/summaries.js';
import { clientSafeSessionSummary, clientSummaryBasis } from '../../shared/domain/session-summary.js';
import { iso } from './views.js';

const SessionOfClientPath = ApprovalPath.omit({ issueId: true });

const summary = defineRoute({
  method: 'GET', path: '/api/portal/:clientId/sessions/:sessionId/summary', permission: 'portal.client', params: SessionOfClientPath,
  async handler({ params }, ctx) {
    const client = await loadClientForPortal(ctx, params.clientId);
    const stored = await getStoredSession(params.sessionId);
    const session = stored?.record;
    if (!session || session.tenantId !== client.tenantId || session.clientId !== client.id) throw new HttpError('not_found', 'No such session.');
    const [issues, kept] = await Promise.all([listIssues(session.id, session.tenantId), getSummary(sessionSummaryId(session.id), session.tenantId)]);
    const facts = issues.sort((a, b) => a.order - b.order).map((i) => ({ title: i.title, finalEstimate: i.finalEstimate, rounds: i.rounds }));
    const current = kept?.clientSafeText && kept.clientBasis === clientSummaryBasis(session.name, facts) ? kept : undefined;
    return {
      body: {
        summary: current
          ? { sessionId: session.id, sessionName: session.name, text: current.clientSafeText!, source: current.source, createdAt: iso(current.createdAt) }
          : { sessionId: session.id, sessionName: session.name, text: clientSafeSessionSummary(session.name, facts), source: 'statistical' as const, createdAt: null },
      },
    };
  },
});

export const sessionSummaryRoutes: Route[] = [summary];
