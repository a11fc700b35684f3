// Accepting an invite link (#/invite/<token>). Signed in: one button. Not signed in: the token
// waits in this tab's storage while the person signs up or signs in, and they come back here.
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { teamsApi, ApiError } from '../api.js';
import { FormError } from '../components/field.js';
import { rememberTeam } from '../components/current-team.js';
import { navigate } from '../router.js';
import { pendingLink } from '../pending-link.js';

const pending = pendingLink('reckon.pendingInvite');

/** The invite waiting for this tab to sign up or in, handed out once. */
export const takePendingInvite = (): string | null => pending.take();
const setPending = (token: string): void => pending.keep(token);

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
