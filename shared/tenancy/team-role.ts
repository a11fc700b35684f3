// Team roles read fresh from the membership, for team management (changing a membership must
// not act on a role up to 60 s old). The decision is the permission table's, as everywhere.
import { HttpError } from '../http/errors.js';
import { decide } from '../domain/permissions.js';
import { getMembership } from '../store/memberships.js';
import { noSuchTeam } from '../access/authorize.js';

export { noSuchTeam };

/** Throws unless `uid` is in the team with at least `role`; `what` names what admins manage. */
export async function requireTeamRole(tenantId: string, uid: string, role: 'member' | 'admin', what: string): Promise<void> {
  const membership = await getMembership(tenantId, uid);
  const d = decide(role === 'admin' ? 'team.admin' : 'team.read', 'user', membership?.role ?? 'none');
  if (d.allow) return;
  if (d.code === 'forbidden') throw new HttpError('forbidden', `Only team admins manage ${what}.`);
  throw noSuchTeam();
}
