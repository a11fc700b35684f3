// Jira connections: an admin connects a Jira Cloud site (checked against /myself, token sealed),
// members list them, admins re-test and delete them; members browse boards and sprints and
// preview how many issues a JQL finds.
import { getCurrentUser, getFields } from 'jira.js/cloud';
import { getAllBoards, getAllSprints } from 'jira.js/agile';
import type { Client } from 'jira.js/core';
import { defineRoute, type Route } from '../../shared/http/router.js';
import { HttpError } from '../../shared/http/errors.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ConnectBody, TenantQuery, ConnectionPath, BoardPath, CountBody } from '../../shared/schemas/jira.js';
import { parseJiraSite } from '../../shared/domain/jira-site.js';
import { storyPointFieldIds, type JiraField } from '../../shared/domain/story-points.js';
import { newId } from '../../shared/security/tokens.js';
import { seal } from '../../shared/security/envelope.js';
import { jiraClient } from '../../shared/integrations/jira/client.js';
import { readJira } from '../../shared/integrations/jira/errors.js';
import { countJql } from '../../shared/integrations/jira/issues.js';
import { saveConnection, listConnections, markChecked, deleteConnection } from '../../shared/store/jira-connections.js';
import { auditHook } from '../../shared/store/audit-events.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { connectionFor, clientOf, connectionView } from './access.js';

const CONNECT_LIMIT: RateLimit = { name: 'jira:connect:user', max: 20, windowS: 3600 };
const BROWSE_LIMIT: RateLimit = { name: 'jira:browse:user', max: 300, windowS: 600 };
const browseLimits = (_in: unknown, ctx: { principal?: { uid: string }; clientNetwork: string }) => [{ limit: BROWSE_LIMIT, subject: ctx.principal?.uid ?? ctx.clientNetwork }];

/** Who Jira says the token belongs to, and where its story points live. */
async function inspect(client: Client, connecting: boolean): Promise<{ jiraAccountName: string; storyPointFieldIds: string[] }> {
  const me = await readJira(() => getCurrentUser(client), connecting);
  const fields = await readJira(() => getFields(client), connecting);
  return { jiraAccountName: me.displayName ?? me.emailAddress ?? '', storyPointFieldIds: storyPointFieldIds(fields as JiraField[]) };
}

const connect = defineRoute({
  method: 'POST', path: '/api/jira/connections', permission: 'team.admin', body: ConnectBody,
  rateLimits: (_in, ctx) => [{ limit: CONNECT_LIMIT, subject: ctx.principal!.uid }],
  async handler({ body }, ctx) {
    requireTeam(ctx, 'team.admin', body.tenantId, 'Jira connections');
    const site = parseJiraSite(body.siteUrl);
    if (!site.ok) throw new HttpError('invalid_request', site.problem, { issues: [{ path: 'body.siteUrl', message: site.problem }] });
    const found = await inspect(jiraClient({ siteOrigin: site.origin, email: body.email, apiToken: body.apiToken }), true);
    const record = {
      id: newId(), tenantId: body.tenantId, siteUrl: site.origin, accountEmail: body.email, secret: await seal(body.apiToken, body.tenantId),
      tokenHint: `…${body.apiToken.slice(-4)}`, ...found, createdBy: ctx.principal!.uid, createdAt: ctx.now, lastCheckedAt: ctx.now,
    };
    await saveConnection(record, auditHook({ tenantId: record.tenantId, at: ctx.now, actorUid: record.createdBy, action: 'jira.connection_added', target: { type: 'jiraConnection', id: record.id }, details: { siteUrl: record.siteUrl } }));
    return { status: 201, body: { connection: connectionView(record) } };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/jira/connections', permission: 'team.read', query: TenantQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.read', query.tenantId);
    return { body: { connections: (await listConnections(query.tenantId)).map(connectionView) } };
  },
});

const retest = defineRoute({
  method: 'POST', path: '/api/jira/connections/:id/test', permission: 'team.admin', params: ConnectionPath, rateLimits: browseLimits,
  async handler({ params }, ctx) {
    const c = await connectionFor(params.id, ctx, 'team.admin');
    const found = await inspect(await clientOf(c), false);
    await markChecked(c.id, ctx.now, found);
    return { body: { connection: connectionView({ ...c, ...found, lastCheckedAt: ctx.now }) } };
  },
});

const remove = defineRoute({
  method: 'DELETE', path: '/api/jira/connections/:id', permission: 'team.admin', params: ConnectionPath,
  async handler({ params }, ctx) {
    const c = await connectionFor(params.id, ctx, 'team.admin');
    await deleteConnection(c.id, auditHook({ tenantId: c.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action: 'jira.connection_removed', target: { type: 'jiraConnection', id: c.id }, details: { siteUrl: c.siteUrl } }));
    return { status: 204 };
  },
});

const boards = defineRoute({
  method: 'GET', path: '/api/jira/connections/:id/boards', permission: 'team.read', params: ConnectionPath, rateLimits: browseLimits,
  async handler({ params }, ctx) {
    const client = await clientOf(await connectionFor(params.id, ctx, 'team.read'));
    const page = await readJira(() => getAllBoards(client, { maxResults: 100 }));
    return { body: { boards: (page.values ?? []).map((b) => ({ id: b.id, name: b.name, type: b.type })) } };
  },
});

const sprints = defineRoute({
  method: 'GET', path: '/api/jira/connections/:id/boards/:boardId/sprints', permission: 'team.read', params: BoardPath, rateLimits: browseLimits,
  async handler({ params }, ctx) {
    const client = await clientOf(await connectionFor(params.id, ctx, 'team.read'));
    const page = await readJira(() => getAllSprints(client, { boardId: params.boardId, state: 'active,future', maxResults: 50 }));
    return { body: { sprints: (page.values ?? []).map((s) => ({ id: s.id, name: s.name, state: s.state })) } };
  },
});

const count = defineRoute({
  method: 'POST', path: '/api/jira/connections/:id/count', permission: 'team.read', params: ConnectionPath, body: CountBody, rateLimits: browseLimits,
  async handler({ params, body }, ctx) {
    const client = await clientOf(await connectionFor(params.id, ctx, 'team.read'));
    return { body: { count: await countJql(client, body.jql) } };
  },
});

export const connectionRoutes: Route[] = [connect, list, retest, remove, boards, sprints, count];
