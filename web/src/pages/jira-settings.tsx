// Team settings, Jira: the team's connections (test, remove) and a form to connect a site.
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { jiraApi } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { TeamPicker } from '../components/team-picker.js';
import { useTeamSettings } from '../components/use-team-settings.js';

function ConnectForm({ tenantId, onConnected }: { tenantId: string; onConnected: () => void }) {
  const [siteUrl, setSiteUrl] = useState('');
  const [email, setEmail] = useState('');
  const [apiToken, setApiToken] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    await jiraApi.connect({ tenantId, siteUrl, email, apiToken });
    setApiToken('');
    onConnected();
  });
  return (
    <form onSubmit={submit} aria-label="Connect a Jira site">
      <h2>Connect a Jira Cloud site</h2>
      <FormError message={error && !error.issues.length ? error.message : undefined} />
      <Field id="jira-site" label="Site address" value={siteUrl} onInput={setSiteUrl} hint="Like https://your-team.atlassian.net" error={error?.fieldMessage('siteUrl')} />
      <Field id="jira-email" label="Jira account email" type="email" value={email} onInput={setEmail} error={error?.fieldMessage('email')} />
      <Field id="jira-token" label="API token" type="password" value={apiToken} onInput={setApiToken} autoComplete="off"
        hint="Create one at id.atlassian.com → Security → API tokens. Reckon only reads Jira and never shows the token again." error={error?.fieldMessage('apiToken')} />
      <button type="submit" disabled={busy}>{busy ? 'Checking with Jira…' : 'Connect'}</button>
    </form>
  );
}

export function JiraSettings({ me }: { me: MeResponse }) {
  const { adminOf, tenantId, setTenantId, items: connections, message, setMessage, load, act } = useTeamSettings(me, (t) => jiraApi.list(t).then((r) => r.connections));
  if (adminOf.length === 0) return <main class="page"><h1>Jira</h1><p>Only team admins manage Jira connections.</p></main>;
  return (
    <main class="page">
      <h1>Jira</h1>
      <TeamPicker id="jira-team" adminOf={adminOf} tenantId={tenantId} onPick={setTenantId} />
      {message && <p role="status">{message}</p>}
      {connections === undefined ? <p role="status">Loading…</p> : connections.length === 0 ? <p>No Jira site connected yet.</p> : (
        <ul class="connections">
          {connections.map((c) => (
            <li key={c.id} class="panel">
              <strong>{c.siteUrl}</strong> <span class="muted">as {c.jiraAccountName || c.accountEmail} · token {c.tokenHint} · checked {new Date(c.lastCheckedAt).toLocaleString()}</span>
              <div>
                <button type="button" class="secondary" onClick={() => act(() => jiraApi.test(c.id), `${c.siteUrl} answers.`)}>Test</button>
                <button type="button" class="danger" onClick={() => { if (confirm(`Remove the connection to ${c.siteUrl}?`)) void act(() => jiraApi.remove(c.id), 'Removed.'); }}>Remove</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {tenantId && <ConnectForm tenantId={tenantId} onConnected={() => { setMessage('Connected.'); load(); }} />}
    </main>
  );
}
