import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { api, ApiError } from '../api.js';
import { Field, FormError } from '../components/field.js';
import { navigate } from '../router.js';
import { PasswordForm } from '../components/password-form.js';

export function Account({ me, onSignedOut }: { me: MeResponse; onSignedOut: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<string>();

  const download = async () => {
    setStatus('Preparing your data…');
    try {
      const data = await api.exportMe();
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'reckon-account-export.json';
      a.click();
      URL.revokeObjectURL(url);
      setStatus('Your data was downloaded.');
    } catch (err) {
      setStatus(err instanceof ApiError ? err.message : 'The export failed. Try again.');
    }
  };

  const erase = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.eraseMe(password);
      onSignedOut();
      navigate('/signin');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Reckon could not be reached. Check your connection.');
    }
  };

  return (
    <main class="card">
      <h1>Your account</h1>
      <dl class="facts">
        <dt>Name</dt><dd data-testid="account-name">{me.user.displayName}</dd>
        <dt>Email</dt><dd data-testid="account-email">{me.user.email}</dd>
      </dl>
      <h2>Teams</h2>
      <ul class="teams">
        {me.memberships.map((m) => <li key={m.tenantId}>{m.tenantName} <span class="role">{m.role}</span></li>)}
      </ul>
      <p><a href="#/team">Manage teams</a></p>
      <PasswordForm />
      <h2>Your data</h2>
      <p>Download everything Reckon keeps about you, as JSON.</p>
      <button type="button" class="secondary" onClick={download}>Download my data</button>
      {status && <p role="status">{status}</p>}
      <h2>Delete account</h2>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete my account…</button>
      ) : (
        <form onSubmit={erase} noValidate>
          <p>This deletes your account and your personal data. Teams you alone belong to are deleted; teams you share are handed to their longest-standing member.</p>
          <Field id="erase-password" label="Confirm with your password" type="password" autoComplete="current-password" value={password} onInput={setPassword} />
          <FormError message={error} />
          <button type="submit" class="danger">Delete my account for good</button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>Keep my account</button>
        </form>
      )}
    </main>
  );
}
