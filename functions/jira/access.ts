// Who may use a Jira connection: members of its tenant; who may manage it: the tenant's admins
// (role read fresh). Another tenant's connection answers 404, like a missing one.
import { HttpError } from '../../shared/http/errors.js';
import type { HandlerContext } from '../../shared/http/router.js';
import { requireTeamRole as requireRole } from '../../shared/tenancy/team-role.js';
import { getConnection, type JiraConnectionRecord } from '../../shared/store/jira-connections.js';
import { clientForConnection } from '../../shared/integrations/jira/client.js';
import type { ConnectionView } from '../../shared/schemas/jira.js';

export const noSuchConnection = () => new HttpError('not_found', 'No such Jira connection.');

export const requireTeamRole = (tenantId: string, ctx: HandlerContext, role: 'member' | 'admin') => requireRole(tenantId, ctx.principal!.uid, role, 'Jira connections');

/** The connection, if it belongs to a team the caller is in (with the role asked for). */
export async function connectionFor(id: string, ctx: HandlerContext, role: 'member' | 'admin'): Promise<JiraConnectionRecord> {
  for (const tenantId of Object.keys(ctx.principal!.roles)) {
    const found = await getConnection(tenantId, id);
    if (found) {
      await requireTeamRole(found.tenantId, ctx, role).catch((e: HttpError) => { throw e.code === 'not_found' ? noSuchConnection() : e; });
      return found;
    }
  }
  throw noSuchConnection();
}

export const clientOf = clientForConnection;

export function connectionView(c: JiraConnectionRecord): ConnectionView {
  return {
    id: c.id, tenantId: c.tenantId, siteUrl: c.siteUrl, accountEmail: c.accountEmail, tokenHint: c.tokenHint, jiraAccountName: c.jiraAccountName,
    storyPointFieldIds: c.storyPointFieldIds, createdAt: new Date(c.createdAt).toISOString(), lastCheckedAt: new Date(c.lastCheckedAt).toISOString(),
  };
}
