// The team a person is working in, remembered across pages and visits (the team switcher sets it).
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';

const KEY = 'reckon.team';

export function rememberTeam(tenantId: string): void {
  try { localStorage.setItem(KEY, tenantId); } catch { /* storage may be off; the choice just is not kept */ }
}

/** The remembered team if the person is still in it, else their first team. */
export function useCurrentTeam(memberships: MeResponse['memberships']): [string, (tenantId: string) => void] {
  const remembered = (() => { try { return localStorage.getItem(KEY); } catch { return null; } })();
  const initial = memberships.find((m) => m.tenantId === remembered)?.tenantId ?? memberships[0]?.tenantId ?? '';
  const [tenantId, setTenantId] = useState(initial);
  return [tenantId, (id) => { rememberTeam(id); setTenantId(id); }];
}

export function TeamSwitcher({ id, memberships, tenantId, onPick }: { id: string; memberships: MeResponse['memberships']; tenantId: string; onPick: (tenantId: string) => void }) {
  if (memberships.length < 2) return null;
  return (
    <div class="field team-switcher">
      <label for={id}>Team</label>
      <select id={id} value={tenantId} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        {memberships.map((m) => <option key={m.tenantId} value={m.tenantId}>{m.tenantName}</option>)}
      </select>
    </div>
  );
}
