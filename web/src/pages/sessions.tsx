// A team's sessions, newest first, and a new session with its deck.
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { SessionView } from '../../../shared/schemas/sessions.js';
import type { ClientView } from '../../../shared/schemas/portal.js';
import { ApiError } from '../api.js';
import { portalApi, createSessionFor } from '../portal-api.js';
import { ClientSelect, SessionClient } from '../components/portal/session-client.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { navigate } from '../router.js';
import { TeamSwitcher, useCurrentTeam } from '../components/current-team.js';
import { WriteBackSummary } from '../components/write-back-summary.js';

const DECKS = [
  ['fibonacci', 'Fibonacci (0, 1, 2, 3, 5, 8, 13, 21)'],
  ['modified_fibonacci', 'Modified Fibonacci (0, ½, 1 … 20, 40, 100)'],
  ['tshirt', 'T-shirt sizes (XS – XL)'],
  ['powers_of_two', 'Powers of two (0, 1, 2, 4 … 64)'],
  ['custom', 'Custom cards'],
] as const;

function NewSession({ tenantId, clients, onCreated }: { tenantId: string; clients: ClientView[]; onCreated: (s: SessionView) => void }) {
  const [name, setName] = useState('');
  const [deck, setDeck] = useState<string>('fibonacci');
  const [custom, setCustom] = useState('');
  const [autoReveal, setAutoReveal] = useState(true);
  const [clientId, setClientId] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    const chosen = deck === 'custom' ? { custom: custom.split(',').map((c) => c.trim()).filter(Boolean) } : deck;
    onCreated((await createSessionFor({ tenantId, name, deck: chosen, autoReveal, clientId: clientId || undefined })).session);
  });
  return (
    <form onSubmit={submit} aria-label="New session">
      <h2>New session</h2>
      <FormError message={error && !error.issues.length ? error.message : undefined} />
      <Field id="session-name" label="Name" value={name} onInput={setName} error={error?.fieldMessage('name')} />
      <fieldset class="decks">
        <legend>Deck</legend>
        {DECKS.map(([value, label]) => (
          <label class="choice" key={value}><input type="radio" name="deck" value={value} checked={deck === value} onChange={() => setDeck(value)} /> {label}</label>
        ))}
      </fieldset>
      {deck === 'custom' && <Field id="custom-cards" label="Cards, separated by commas" value={custom} onInput={setCustom} hint="2 to 20 different cards, up to 8 characters each." error={error?.fieldMessage('deck.custom') ?? error?.fieldMessage('deck')} />}
      <ClientSelect id="session-client" label="For client" none="No client" clients={clients.filter((c) => !c.archived)} value={clientId} onPick={setClientId} />
      <label class="choice"><input type="checkbox" checked={autoReveal} onChange={(e) => setAutoReveal((e.target as HTMLInputElement).checked)} /> Reveal the cards by themselves once everyone has voted</label>
      <div><button type="submit" disabled={busy}>Create session</button></div>
    </form>
  );
}

export function Sessions({ me }: { me: MeResponse }) {
  const [tenantId, setTenantId] = useCurrentTeam(me.memberships);
  const [sessions, setSessions] = useState<SessionView[]>();
  const [error, setError] = useState<string>();
  const [clients, setClients] = useState<ClientView[]>([]);
  const [clientFilter, setClientFilter] = useState('');
  const isAdmin = me.memberships.find((m) => m.tenantId === tenantId)?.role === 'admin';
  useEffect(() => {
    setClients([]);
    setClientFilter('');
    if (tenantId) portalApi.clients(tenantId).then((r) => setClients(r.clients), () => undefined);
  }, [tenantId]);
  useEffect(() => {
    if (!tenantId) return;
    setSessions(undefined);
    portalApi.sessions(tenantId, clientFilter || undefined).then((r) => setSessions(r.sessions), (e) => setError(e instanceof ApiError ? e.message : 'Reckon could not be reached.'));
  }, [tenantId, clientFilter]);
  const [assignedMessage, setAssignedMessage] = useState<string>();
  const assigned = (s: SessionView) => {
    setSessions((list) => list?.map((x) => (x.id === s.id ? s : x)));
    const client = clients.find((c) => c.id === s.clientId);
    setAssignedMessage(client ? `${s.name} is now for ${client.name}.` : `${s.name} is for no client now.`);
  };
  return (
    <main class="page">
      <h1>Sessions</h1>
      <TeamSwitcher id="team" memberships={me.memberships} tenantId={tenantId} onPick={setTenantId} />
      <FormError message={error} />
      {assignedMessage && <p role="status">{assignedMessage}</p>}
      <ClientSelect id="client-filter" label="Client" none="All sessions" clients={clients} value={clientFilter} onPick={setClientFilter} />
      {sessions === undefined ? <p role="status">Loading sessions…</p> : sessions.length === 0 ? <p>No sessions yet. Create the first one below.</p> : (
        <ul class="session-list">
          {sessions.map((s) => (
            <li key={s.id}><a href={`#/s/${s.id}`}>{s.name}</a> <span class="muted">{s.status === 'closed' ? 'closed · ' : ''}{new Date(s.createdAt).toLocaleDateString()}</span>
              <WriteBackSummary sessionId={s.id} tally={s.writeBacks} canRetry={isAdmin || s.ownerUid === me.user.uid} />
              <SessionClient session={s} clients={clients} canAssign={isAdmin || s.ownerUid === me.user.uid} onAssigned={assigned} /></li>
          ))}
        </ul>
      )}
      {tenantId && <NewSession tenantId={tenantId} clients={clients} onCreated={(s) => navigate(`/s/${s.id}`)} />}
    </main>
  );
}
