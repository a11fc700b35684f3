// The team whose settings a page shows, for people who administer more than one team.
import type { MeResponse } from '../../../shared/schemas/auth.js';

export function TeamPicker({ id, adminOf, tenantId, onPick }: { id: string; adminOf: MeResponse['memberships']; tenantId: string; onPick: (tenantId: string) => void }) {
  if (adminOf.length < 2) return null;
  return (
    <div class="field">
      <label for={id}>Team</label>
      <select id={id} value={tenantId} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        {adminOf.map((m) => <option key={m.tenantId} value={m.tenantId}>{m.tenantName}</option>)}
      </select>
    </div>
  );
}
