// Jira connections through the access layer: members of its team use one, admins manage it
// (permissions team.read / team.admin). Another team's connection answers 404, like a missing one.
import { HttpError } from '../../shared/http/errors.js';
import type { Caller } from '../../shared/access/caller.js';
import { requireTeam } from '../../shared/access/authorize.js';
import { getConnection, type JiraConnectionRecord } from '../../shared/store/jira-connections.js';
import { clientForConnection } from '../../shared/integrations/jira/client.js';
import type { ConnectionView } from '../../shared/schemas/jira.js';

export const noSuchConnection = () => new HttpError('not_found', 'No such Jira connection.');

/** The connection, if it belongs to a team where the caller may do `permission`. */
export async function connectionFor(id: string, caller: Caller, permission: 'team.read' | 'team.admin'): Promise<JiraConnectionRecord> {
  // A connection is looked up only within the caller's own teams: another team's is never read.
  for (const tenantId of Object.keys(caller.principal?.roles ?? {})) {
    const found = await getConnection(tenantId, id);
    if (found) {
      requireTeam(caller, permission, found.tenantId, 'Jira connections', noSuchConnection);
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
