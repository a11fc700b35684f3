// Accepting an invite link (#/invite/<token>). Signed in: one button. Not signed in: the token
// waits in this tab's storage while the person signs up or signs in, and they come back here.
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { teamsApi, ApiError } from '../api.js';
import { FormError } from '../components/field.js';
import { rememberTeam } from '../components/current-team.js';
import { navigate } from '../router.js';

const KEY = 'reckon.pendingInvite';

/** The invite waiting for this tab to sign up or in, handed out once. */
export function takePendingInvite(): string | null {
  try {
    const token = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return token;
  } catch { return null; }
}
function setPending(token: string): void {
  try { sessionStorage.setItem(KEY, token); } catch { /* the person can open the link again */ }
}

export function Invite({ token, me, onJoined }: { token: string; me: MeResponse | undefined; onJoined: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!me) {
    setPending(token);
    return (
      <main class="card">
        <h1>Join a team on Reckon</h1>
        <p>You were invited to a team. Create an account or sign in, and you will come back here to join it.</p>
        <p><a class="button" href="#/signup">Create an account</a> <a class="button secondary" href="#/signin">Sign in</a></p>
      </main>
    );
  }
  const join = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { membership } = await teamsApi.accept(token);
      await teamsApi.refreshRoles();
      rememberTeam(membership.tenantId);
      await onJoined();
      navigate('/team');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Reckon could not be reached. Check your connection.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="card">
      <h1>Join a team on Reckon</h1>
      <p>You are signed in as {me.user.displayName}. Join the team that invited you?</p>
      <FormError message={error} />
      <button type="button" onClick={join} disabled={busy}>{busy ? 'Joining…' : 'Join the team'}</button>
    </main>
  );
}
