// The Clients page, for team admins: the team's clients (create, rename, archive), and for the
// client picked its portal links and portal users (components/portal).
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { ClientView } from '../../../shared/schemas/portal.js';
import { ApiError } from '../api.js';
import { portalApi } from '../portal-api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { TeamPicker } from '../components/team-picker.js';
import { useCurrentTeam } from '../components/current-team.js';
import { ClientPanel } from '../components/portal/client-panel.js';

function NewClient({ tenantId, onCreated }: { tenantId: string; onCreated: (c: ClientView) => void }) {
  const [name, setName] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    onCreated((await portalApi.createClient(tenantId, name)).client);
    setName('');
  });
  return (
    <form onSubmit={submit} aria-label="New client" class="inline-form">
      <Field id="new-client-name" label="Name of the new client" value={name} onInput={setName} error={error?.fieldMessage('name')} />
      <button type="submit" disabled={busy}>Create client</button>
      <FormError message={error && !error.issues.length ? error.message : undefined} />
    </form>
  );
}

export function Clients({ me }: { me: MeResponse }) {
  const adminOf = me.memberships.filter((m) => m.role === 'admin');
  const [tenantId, setTenantId] = useCurrentTeam(adminOf);
  const [clients, setClients] = useState<ClientView[]>();
  const [picked, setPicked] = useState<string>();
  const [error, setError] = useState<string>();
  const load = () => {
    if (!tenantId) return;
    portalApi.clients(tenantId).then((r) => setClients(r.clients), (e) => setError(e instanceof ApiError ? e.message : 'Reckon could not be reached.'));
  };
  useEffect(() => { setClients(undefined); setPicked(undefined); load(); }, [tenantId]);
  if (adminOf.length === 0) return <main class="page"><h1>Clients</h1><p>Only a team's admins manage its clients.</p></main>;
  const current = clients?.find((c) => c.id === picked);
  return (
    <main class="page">
      <h1>Clients</h1>
      <p class="muted">A client sees the finalized estimates of the sessions assigned to it through its portal, and approves or declines them. Send a portal link to give someone access.</p>
      <TeamPicker id="clients-team" adminOf={adminOf} tenantId={tenantId} onPick={setTenantId} />
      <FormError message={error} />
      {clients === undefined ? <p role="status">Loading clients…</p> : clients.length === 0 ? <p>No clients yet.</p> : (
        <ul class="client-list">
          {clients.map((c) => (
            <li key={c.id} data-testid="client">
              <button type="button" class={c.id === picked ? 'small' : 'secondary small'} aria-pressed={c.id === picked} onClick={() => setPicked(c.id === picked ? undefined : c.id)}>{c.name}</button>
              {c.archived && <span class="badge">archived</span>}
            </li>
          ))}
        </ul>
      )}
      {current && <ClientPanel key={current.id} client={current} onChanged={load} />}
      <section aria-labelledby="new-client-title">
        <h2 id="new-client-title">New client</h2>
        <NewClient tenantId={tenantId} onCreated={(c) => { load(); setPicked(c.id); }} />
      </section>
    </main>
  );
}
