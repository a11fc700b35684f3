// A client's portal users, for team admins: who has access since when; removing one ends it at once.
import { useEffect, useState } from 'preact/hooks';
import type { PortalUserView } from '../../../../shared/schemas/portal.js';
import { ApiError } from '../../api.js';
import { portalApi } from '../../portal-api.js';
import { FormError } from '../field.js';

export function PortalUsers({ clientId, clientName }: { clientId: string; clientName: string }) {
  const [users, setUsers] = useState<PortalUserView[]>();
  const [problem, setProblem] = useState<string>();
  const load = () => { portalApi.users(clientId).then((r) => setUsers(r.users), () => setUsers([])); };
  useEffect(load, [clientId]);
  const remove = async (u: PortalUserView) => {
    if (!confirm(`End ${u.displayName}'s access to the portal of ${clientName}?`)) return;
    setProblem(undefined);
    try { await portalApi.removeUser(clientId, u.uid); } catch (e) { setProblem(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); }
    load();
  };
  return (
    <section aria-labelledby="portal-users-title">
      <h3 id="portal-users-title">Portal users</h3>
      <FormError message={problem} />
      {users === undefined ? <p role="status">Loading…</p> : users.length === 0 ? <p class="muted">Nobody has redeemed a link yet.</p> : (
        <ul class="members">
          {users.map((u) => (
            <li key={u.uid} class="member" data-testid="portal-user">
              <span>{u.displayName} <span class="muted">{u.email} · since {new Date(u.grantedAt).toLocaleDateString()}</span></span>
              <button type="button" class="secondary small" onClick={() => void remove(u)} aria-label={`Remove ${u.displayName} from the portal`}>Remove</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
