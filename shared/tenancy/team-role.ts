// Team roles checked fresh from the membership (a role in an access token may be 15 minutes old).
// A team the caller is not in answers 404, like a missing one.
import { HttpError } from '../http/errors.js';
import { getMembership } from '../store/memberships.js';

export const noSuchTeam = () => new HttpError('not_found', 'No such team.');

/** Throws unless `uid` is in the team with at least `role`; `what` names what admins manage. */
export async function requireTeamRole(tenantId: string, uid: string, role: 'member' | 'admin', what: string): Promise<void> {
  const membership = await getMembership(tenantId, uid);
  if (!membership) throw noSuchTeam();
  if (role === 'admin' && membership.role !== 'admin') throw new HttpError('forbidden', `Only team admins manage ${what}.`);
}
