// Team settings, Forge: register the Atlassian site (cloud id) where the team's Forge app runs,
// see its secret once, rotate it (the old one works 24 more hours), revoke it, and when the app
// last called.
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { forgeApi } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { useSubmit } from '../components/use-submit.js';
import { TeamPicker } from '../components/team-picker.js';
import { useTeamSettings } from '../components/use-team-settings.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/** A new secret, shown once with a copy button: Reckon keeps it only encrypted and never shows it again. */
function SecretOnce({ cloudId, secret, onDone }: { cloudId: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="panel secret-once" aria-labelledby="secret-title" role="alert">
      <h2 id="secret-title">Secret for {cloudId}</h2>
      <p>Copy it into the Forge app's environment now (<code>forge variables set --encrypt RECKON_SECRET …</code>). Reckon will not show it again.</p>
      <p><code class="secret" data-testid="forge-secret">{secret}</code></p>
      <button type="button" class="secondary" onClick={() => navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy'}</button>
      <button type="button" onClick={onDone}>I have stored it</button>
    </section>
  );
}

function RegisterForm({ tenantId, onRegistered }: { tenantId: string; onRegistered: (cloudId: string, secret: string) => void }) {
  const [cloudId, setCloudId] = useState('');
  const { submit, error, busy } = useSubmit(async () => {
    const r = await forgeApi.register(tenantId, cloudId.trim().toLowerCase());
    setCloudId('');
    onRegistered(r.installation.cloudId, r.secret);
  });
  return (
    <form onSubmit={submit} aria-label="Register a Forge installation">
      <h2>Register a Forge installation</h2>
      <FormError message={error && !error.issues.length ? error.message : undefined} />
      <Field id="forge-cloud-id" label="Atlassian cloud id" value={cloudId} onInput={setCloudId}
        hint="The site's cloud id (a UUID): the Forge app logs it, or open https://<your-site>.atlassian.net/_edge/tenant_info." error={error?.fieldMessage('cloudId')} />
      <button type="submit" disabled={busy}>{busy ? 'Registering…' : 'Register'}</button>
    </form>
  );
}

export function ForgeSettings({ me }: { me: MeResponse }) {
  const { adminOf, tenantId, setTenantId, items: installations, message, setMessage, load, act } = useTeamSettings(me, (t) => forgeApi.list(t).then((r) => r.installations));
  const [shown, setShown] = useState<{ cloudId: string; secret: string }>();
  if (adminOf.length === 0) return <main class="page"><h1>Forge</h1><p>Only team admins manage Forge installations.</p></main>;
  return (
    <main class="page">
      <h1>Forge</h1>
      <p class="muted">The Reckon Forge app sends Jira events and reads final estimates, signing every call with this secret (docs/forge.md).</p>
      <TeamPicker id="forge-team" adminOf={adminOf} tenantId={tenantId} onPick={setTenantId} />
      {message && <p role="status">{message}</p>}
      {shown && <SecretOnce {...shown} onDone={() => setShown(undefined)} />}
      {installations === undefined ? <p role="status">Loading…</p> : installations.length === 0 ? <p>No Forge installation registered yet.</p> : (
        <ul class="connections">
          {installations.map((i) => (
            <li key={i.cloudId} class="panel">
              <strong>{i.cloudId}</strong> <span class={i.status === 'revoked' ? 'badge danger' : 'badge'}>{i.status}</span>
              <span class="muted"> · registered {when(i.createdAt)} · last call {when(i.lastDeliveryAt)}
                {i.previousSecretValidUntil && ` · previous secret works until ${when(i.previousSecretValidUntil)}`}
                {i.revokedAt && ` · revoked ${when(i.revokedAt)}`}</span>
              {i.status === 'active' && (
                <div>
                  <button type="button" class="secondary" onClick={() => act(async () => { const r = await forgeApi.rotate(i.cloudId); setShown({ cloudId: i.cloudId, secret: r.secret }); }, 'New secret made; the previous one works for 24 more hours.')}>Rotate secret</button>
                  <button type="button" class="danger" onClick={() => { if (confirm(`Revoke ${i.cloudId}? The Forge app's calls will be refused at once.`)) void act(() => forgeApi.revoke(i.cloudId), 'Revoked.'); }}>Revoke</button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {tenantId && <RegisterForm tenantId={tenantId} onRegistered={(cloudId, secret) => { setShown({ cloudId, secret }); setMessage('Registered.'); load(); }} />}
    </main>
  );
}
