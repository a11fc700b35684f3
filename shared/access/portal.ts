// Clients loaded through the access layer (issue #17): by a team admin (or member, to read) of
// the client's team, or by a portal user of this one client. A missing client, another team's,
// and another client of the same team are refused alike. Portal access is read fresh on every
// call (portalAccess/{clientId}_{uid}), so revoking it takes effect at once on every instance.
import { HttpError } from '../http/errors.js';
import type { Standing } from '../domain/permissions.js';
import type { PortalAccessView } from '../schemas/portal.js';
import { getClientById, getClientsByIds, type ClientRecord } from '../store/clients.js';
import { getPortalGrant, listPortalAccessOfUser } from '../store/portal-access.js';
import { getTenants } from '../store/tenants.js';
import type { Caller } from './caller.js';
import { authorize, teamStanding } from './authorize.js';

export const noSuchClient = () => new HttpError('not_found', 'No such client.');

/** The client if the caller may manage (`team.admin`) or see (`team.read`) it as part of its team. */
export async function loadClientForTeam(caller: Caller, permission: 'team.read' | 'team.admin', clientId: string): Promise<ClientRecord> {
  const client = await getClientById(clientId);
  const standing: Standing = client ? teamStanding(caller, client.tenantId) : 'none';
  authorize(caller, permission, standing, noSuchClient, 'Only team admins manage clients and portal links.');
  return client!;
}

/** The client if the caller is one of its portal users (an archived client shows no one anything). */
export async function loadClientForPortal(caller: Caller, clientId: string): Promise<ClientRecord> {
  const client = await getClientById(clientId);
  const uid = caller.principal?.uid;
  const grant = client && !client.archived && uid ? await getPortalGrant(client.tenantId, client.id, uid) : undefined;
  authorize(caller, 'portal.client', grant ? 'client' : 'none', noSuchClient, '');
  return client!;
}

/** The clients a user is a portal user of, with their names (a grant whose client is gone or archived shows nothing). */
export async function portalAccessOf(uid: string): Promise<PortalAccessView[]> {
  const grants = await listPortalAccessOfUser(uid);
  const [clients, tenants] = await Promise.all([getClientsByIds(grants.map((g) => g.clientId)), getTenants([...new Set(grants.map((g) => g.tenantId))])]);
  const teamNames = new Map(tenants.map((t) => [t.tenantId, t.name]));
  return grants.flatMap((g) => {
    const c = clients.get(g.clientId);
    return c && c.tenantId === g.tenantId && !c.archived ? [{ tenantId: g.tenantId, clientId: g.clientId, clientName: c.name, teamName: teamNames.get(g.tenantId) ?? '' }] : [];
  });
}
