// Team settings, Forge: a one-time connect code for the Reckon app's admin page in Jira (the app
// binds its site with it and keeps the secret itself), the bound sites, revoke, and when the app
// last called. Rotation is the app's own (through Atlassian's attested channel).
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { forgeApi } from '../api.js';
import { FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { TeamPicker } from '../components/team-picker.js';
import { useTeamSettings } from '../components/use-team-settings.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/** A connect code, shown once: the Reckon app's admin page in Jira takes it within 10 minutes. */
function CodeOnce({ code, expiresAt, onDone }: { code: string; expiresAt: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="panel secret-once" aria-labelledby="code-title" role="alert">
      <h2 id="code-title">Connect code</h2>
      <p>In Jira, open <b>Apps → Reckon</b> (the app's admin page) and paste this code before {new Date(expiresAt).toLocaleTimeString()}. It works once; Reckon will not show it again.</p>
      <p><code class="secret" data-testid="forge-connect-code">{code}</code></p>
      <button type="button" class="secondary" onClick={() => navigator.clipboard?.writeText(code).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy'}</button>
      <button type="button" onClick={onDone}>Done</button>
    </section>
  );
}

function ConnectCodeButton({ tenantId, onCode }: { tenantId: string; onCode: (code: string, expiresAt: string) => void }) {
  const { submit, error, busy } = useSubmit(async () => { const r = await forgeApi.connectCode(tenantId); onCode(r.code, r.expiresAt); });
  return (
    <form onSubmit={submit} aria-label="Connect a Jira site">
      <h2>Connect a Jira site</h2>
      <p class="muted">Install the Reckon app on the Jira site, then get a code here and paste it on the app's admin page. The site is proven by Atlassian, never typed in.</p>
      <FormError message={error?.message} />
      <button type="submit" disabled={busy}>{busy ? 'Getting a code…' : 'Get a connect code'}</button>
    </form>
  );
}

export function ForgeSettings({ me }: { me: MeResponse }) {
  const { adminOf, tenantId, setTenantId, items: installations, message, setMessage, load, act } = useTeamSettings(me, (t) => forgeApi.list(t).then((r) => r.installations));
  const [shown, setShown] = useState<{ code: string; expiresAt: string }>();
  if (adminOf.length === 0) return <main class="page"><h1>Forge</h1><p>Only team admins manage Forge installations.</p></main>;
  return (
    <main class="page">
      <h1>Forge</h1>
      <p class="muted">The Reckon app for Jira sends Jira events to Reckon and writes final estimates back into Jira (docs/forge.md).</p>
      <TeamPicker id="forge-team" adminOf={adminOf} tenantId={tenantId} onPick={setTenantId} />
      {message && <p role="status">{message}</p>}
      {shown && <CodeOnce {...shown} onDone={() => { setShown(undefined); load(); }} />}
      {installations === undefined ? <p role="status">Loading…</p> : installations.length === 0 ? <p>No Jira site connected yet.</p> : (
        <ul class="connections">
          {installations.map((i) => (
            <li key={i.cloudId} class="panel">
              <strong>{i.cloudId}</strong> <span class={i.status === 'revoked' ? 'badge danger' : 'badge'}>{i.status}</span>
              <span class="muted"> · connected {when(i.createdAt)}{i.environment && i.environment !== 'PRODUCTION' ? ` (${i.environment.toLowerCase()})` : ''} · last call {when(i.lastDeliveryAt)}
                {i.previousSecretValidUntil && ` · previous secret works until ${when(i.previousSecretValidUntil)}`}
                {i.revokedAt && ` · revoked ${when(i.revokedAt)}`}</span>
              {i.status === 'active' && (
                <div>
                  <button type="button" class="danger" onClick={() => { if (confirm(`Revoke ${i.cloudId}? The Forge app's calls will be refused at once.`)) void act(() => forgeApi.revoke(i.cloudId), 'Revoked.'); }}>Revoke</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {tenantId && <ConnectCodeButton tenantId={tenantId} onCode={(code, expiresAt) => { setShown({ code, expiresAt }); setMessage(undefined); }} />}
    </main>
  );
}
