// What a team settings page (Jira, Forge) keeps: the team shown, its list, a status message, and
// an `act` that runs an action, says how it went and reloads the list.
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { ApiError } from '../api.js';
import { useCurrentTeam } from './current-team.js';

const problem = (e: unknown) => (e instanceof ApiError ? e.message : 'Reckon could not be reached.');

export function useTeamSettings<T>(me: MeResponse, fetchList: (tenantId: string) => Promise<T[]>) {
  const adminOf = me.memberships.filter((m) => m.role === 'admin');
  const [tenantId, setTenantId] = useCurrentTeam(adminOf);
  const [items, setItems] = useState<T[]>();
  const [message, setMessage] = useState<string>();
  const load = () => { if (tenantId) fetchList(tenantId).then(setItems, (e) => setMessage(problem(e))); };
  useEffect(load, [tenantId]);
  const act = async (what: () => Promise<unknown>, done: string) => {
    setMessage(undefined);
    try { await what(); setMessage(done); } catch (e) { setMessage(problem(e)); }
    load();
  };
  return { adminOf, tenantId, setTenantId, items, message, setMessage, load, act };
}
