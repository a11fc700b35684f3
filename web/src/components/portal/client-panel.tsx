// One client, for team admins: its name, archiving, its portal links and its portal users.
import { useState } from 'preact/hooks';
import type { ClientView } from '../../../../shared/schemas/portal.js';
import { ApiError } from '../../api.js';
import { portalApi } from '../../portal-api.js';
import { Field, FormError } from '../field.js';
import { useSubmit } from '../use-submit.js';
import { PortalLinks } from './portal-links.js';
import { PortalUsers } from './portal-users.js';

export function ClientPanel({ client, onChanged }: { client: ClientView; onChanged: () => void }) {
  const [name, setName] = useState(client.name);
  const [message, setMessage] = useState<string>();
  const rename = useSubmit(async () => {
    await portalApi.updateClient(client.id, { name });
    setMessage('Renamed.');
    onChanged();
  });
  const toggleArchive = async () => {
    if (!client.archived && !confirm(`Archive ${client.name}? Its portal users see nothing until it is unarchived, and its links stop working.`)) return;
    try {
      await portalApi.updateClient(client.id, { archived: !client.archived });
      setMessage(client.archived ? `${client.name} is active again.` : `${client.name} was archived.`);
    } catch (e) { setMessage(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); }
    onChanged();
  };
  return (
    <section class="panel client-panel" aria-labelledby="client-title">
      <h2 id="client-title">{client.name} {client.archived && <span class="badge">archived</span>}</h2>
      {message && <p role="status">{message}</p>}
      <form onSubmit={rename.submit} aria-label="Rename client" class="inline-form">
        <Field id="client-name" label="Client name" value={name} onInput={setName} error={rename.error?.fieldMessage('name')} />
        <button type="submit" class="secondary" disabled={rename.busy || name.trim() === client.name}>Rename client</button>
        <FormError message={rename.error && !rename.error.issues.length ? rename.error.message : undefined} />
      </form>
      <p><button type="button" class="secondary" onClick={toggleArchive}>{client.archived ? 'Unarchive client' : 'Archive client'}</button></p>
      {!client.archived && <PortalLinks clientId={client.id} clientName={client.name} />}
      <PortalUsers clientId={client.id} clientName={client.name} />
    </section>
  );
}
