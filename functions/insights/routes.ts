// The insights function's routes (issue #19): estimates against the time logged in Jira, for a
// team's members (and one client's numbers for its team's admins), and for a client's portal
// users. Every answer comes from a few aggregate documents, however much history there is.
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { loadClientForPortal, loadClientForTeam, noSuchClient } from '../../shared/access/portal.js';
import { PortalInsightsPath, PortalInsightsQuery, TeamInsightsQuery } from '../../shared/schemas/insights.js';
import { periodOf, yearsOf } from '../../shared/domain/insight-period.js';
import { insightsOf } from '../../shared/domain/insight-stats.js';
import { getAggregates } from '../../shared/store/insights.js';
import { listConnections } from '../../shared/store/jira-connections.js';
import { emptyOf, insightsView } from './views.js';

function periodFor(asked: { from?: string; to?: string }, now: number): { from: string; to: string } {
  const p = periodOf(asked, now);
  if ('problem' in p) throw new HttpError('invalid_request', p.problem, { issues: [{ path: `query.${p.field}`, message: p.problem }] });
  return p;
}

/** GET /api/insights?tenantId=&from=&to=&clientId= — members; one client's numbers for admins. */
const team = defineRoute({
  method: 'GET', path: '/api/insights', permission: 'team.read', query: TeamInsightsQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.read', query.tenantId);
    const period = periodFor(query, ctx.now);
    if (query.clientId) {
      const client = await loadClientForTeam(ctx, 'team.admin', query.clientId);
      if (client.tenantId !== query.tenantId) throw noSuchClient();
    }
    const docs = await getAggregates(query.tenantId, query.clientId ?? null, yearsOf(period));
    const numbers = insightsOf(docs, period.from, period.to);
    // Only an empty page asks whether Jira is connected (to say what to do).
    const hasJira = numbers.coverage.finalized > 0 && numbers.coverage.withTimeLogged === 0 ? (await listConnections(query.tenantId)).length > 0 : undefined;
    return { body: insightsView(numbers, period, { tenantId: query.tenantId, clientId: query.clientId ?? null }, false, emptyOf(numbers, hasJira)) };
  },
});

/** GET /api/insights/portal/:clientId?from=&to= — the client's portal users: the same numbers, no sessions. */
const portal = defineRoute({
  method: 'GET', path: '/api/insights/portal/:clientId', permission: 'portal.client', params: PortalInsightsPath, query: PortalInsightsQuery,
  async handler({ params, query }, ctx) {
    const client = await loadClientForPortal(ctx, params.clientId);
    const period = periodFor(query, ctx.now);
    const numbers = insightsOf(await getAggregates(client.tenantId, client.id, yearsOf(period)), period.from, period.to);
    return { body: insightsView(numbers, period, { tenantId: client.tenantId, clientId: client.id }, true, emptyOf(numbers, true)) };
  },
});

export const insightRoutes: Route[] = [team, portal];
