// Sessions and clients: a client picker (filter, new session), and a session's client, which its
// moderators change (PATCH /api/sessions/{id}); the team's clients list is readable by members.
import { useState } from 'preact/hooks';
import type { ClientView } from '../../../../shared/schemas/portal.js';
import type { SessionView } from '../../../../shared/schemas/sessions.js';
import { ApiError } from '../../api.js';
import { portalApi } from '../../portal-api.js';

export function ClientSelect({ id, label, none, clients, value, onPick }: { id: string; label: string; none: string; clients: ClientView[]; value: string; onPick: (clientId: string) => void }) {
  if (clients.length === 0) return null;
  return (
    <div class="field client-select">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onPick((e.target as HTMLSelectElement).value)}>
        <option value="">{none}</option>
        {clients.map((c) => <option key={c.id} value={c.id}>{c.name}{c.archived ? ' (archived)' : ''}</option>)}
      </select>
    </div>
  );
}

export function SessionClient({ session, clients, canAssign, onAssigned }: { session: SessionView; clients: ClientView[]; canAssign: boolean; onAssigned: (s: SessionView) => void }) {
  const [problem, setProblem] = useState<string>();
  const name = clients.find((c) => c.id === session.clientId)?.name;
  if (!canAssign || clients.length === 0) return name ? <span class="badge">{name}</span> : null;
  const assign = async (clientId: string) => {
    setProblem(undefined);
    try { onAssigned((await portalApi.assignSession(session.id, clientId || null)).session); } catch (e) { setProblem(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); }
  };
  return (
    <span class="session-client">
      <select aria-label={`Client of ${session.name}`} value={session.clientId ?? ''} onChange={(e) => void assign((e.target as HTMLSelectElement).value)}>
        <option value="">No client</option>
        {clients.filter((c) => !c.archived || c.id === session.clientId).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      {problem && <span class="error" role="alert">{problem}</span>}
    </span>
  );
}
