// Clients of a team (team admins manage them; members read the list to assign sessions), and
// the admin view of a client's portal users. Client changes go to the audit log in the same batch.
import { defineRoute, type Route } from '../../shared/http/router.js';
import type { RateLimit } from '../../shared/http/rate-limit.js';
import { ClientPath, CreateClientBody, ListClientsQuery, PortalUserPath, UpdateClientBody, type PortalUserView } from '../../shared/schemas/portal.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { loadClientForTeam } from '../../shared/access/portal.js';
import { newId } from '../../shared/security/tokens.js';
import { getDb } from '../../shared/store/firestore.js';
import { createClientIn, listClients, updateClientIn, type ClientRecord } from '../../shared/store/clients.js';
import { getPortalGrant, listPortalUsersOfClient, revokePortalAccessIn } from '../../shared/store/portal-access.js';
import { getProfiles } from '../../shared/store/users.js';
import { recordAuditIn } from '../../shared/store/audit-events.js';
import { HttpError } from '../../shared/http/errors.js';
import { clientView, ERASED_NAME, iso } from './views.js';

const WHAT = 'clients and portal links';
const CREATE_LIMIT: RateLimit = { name: 'portal:clients:user', max: 60, windowS: 3600 };
export const MANAGE_LIMIT: RateLimit = { name: 'portal:manage:user', max: 120, windowS: 3600 };
export const manageLimits = (_in: unknown, ctx: { principal?: { uid: string }; clientNetwork: string }) => [{ limit: MANAGE_LIMIT, subject: ctx.principal?.uid ?? ctx.clientNetwork }];

const create = defineRoute({
  method: 'POST', path: '/api/portal/clients', permission: 'team.admin', body: CreateClientBody,
  rateLimits: (_in, ctx) => [{ limit: CREATE_LIMIT, subject: ctx.principal!.uid }],
  async handler({ body }, ctx) {
    const { uid } = requireTeam(ctx, 'team.admin', body.tenantId, WHAT);
    const client: ClientRecord = { id: newId(), tenantId: body.tenantId, name: body.name, archived: false, createdBy: uid, createdAt: ctx.now };
    const batch = getDb().batch();
    createClientIn(batch, client);
    recordAuditIn(batch, { tenantId: client.tenantId, at: ctx.now, actorUid: uid, action: 'client.created', target: { type: 'client', id: client.id }, details: { name: client.name } });
    await batch.commit();
    return { status: 201, body: { client: clientView(client) } };
  },
});

const list = defineRoute({
  method: 'GET', path: '/api/portal/clients', permission: 'team.read', query: ListClientsQuery,
  async handler({ query }, ctx) {
    requireTeam(ctx, 'team.read', query.tenantId, WHAT);
    return { body: { clients: (await listClients(query.tenantId)).map(clientView) } };
  },
});

/** Renames, archives or unarchives: one audit event per change made. */
const update = defineRoute({
  method: 'PATCH', path: '/api/portal/clients/:clientId', permission: 'team.admin', params: ClientPath, body: UpdateClientBody, rateLimits: manageLimits,
  async handler({ params, body }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    const next = { ...client, name: body.name ?? client.name, archived: body.archived ?? client.archived };
    if (next.name === client.name && next.archived === client.archived) return { body: { client: clientView(client) } };
    const batch = getDb().batch();
    updateClientIn(batch, client.id, { name: next.name, archived: next.archived });
    const event = (action: 'client.renamed' | 'client.archived' | 'client.unarchived', details: Record<string, string>) =>
      recordAuditIn(batch, { tenantId: client.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action, target: { type: 'client', id: client.id }, details });
    if (next.name !== client.name) event('client.renamed', { from: client.name, to: next.name });
    if (next.archived !== client.archived) event(next.archived ? 'client.archived' : 'client.unarchived', { name: next.name });
    await batch.commit();
    return { body: { client: clientView(next) } };
  },
});

const users = defineRoute({
  method: 'GET', path: '/api/portal/clients/:clientId/users', permission: 'team.admin', params: ClientPath,
  async handler({ params }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    const grants = await listPortalUsersOfClient(client.tenantId, client.id);
    const profiles = await getProfiles(grants.map((g) => g.uid));
    const views: PortalUserView[] = grants.map((g) => ({
      uid: g.uid, displayName: profiles.get(g.uid)?.displayName ?? ERASED_NAME, email: profiles.get(g.uid)?.email ?? '', grantedAt: iso(g.grantedAt),
    }));
    return { body: { users: views } };
  },
});

/** Ends a portal user's access: portal routes read the grant on every call, so it ends at once everywhere. */
const removeUser = defineRoute({
  method: 'DELETE', path: '/api/portal/clients/:clientId/users/:uid', permission: 'team.admin', params: PortalUserPath, rateLimits: manageLimits,
  async handler({ params }, ctx) {
    const client = await loadClientForTeam(ctx, 'team.admin', params.clientId);
    if (!(await getPortalGrant(client.tenantId, client.id, params.uid))) throw new HttpError('not_found', 'No such portal user.');
    const batch = getDb().batch();
    revokePortalAccessIn(batch, client.id, params.uid);
    recordAuditIn(batch, { tenantId: client.tenantId, at: ctx.now, actorUid: ctx.principal!.uid, action: 'portal_user.removed', target: { type: 'user', id: params.uid }, details: { client: client.name } });
    await batch.commit();
    return { status: 204 };
  },
});

export const clientRoutes: Route[] = [create, list, update, users, removeUser];
