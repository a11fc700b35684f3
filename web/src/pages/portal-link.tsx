// A portal link (#/portal/link/<token>): signed in, one button redeems it. Not signed in, the
// token waits in this tab's storage while the person signs up or in, and they come back here.
// A dead link (expired, used, revoked, not a link) gets one clear message: the server says no more.
import { useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import { ApiError } from '../api.js';
import { portalApi } from '../portal-api.js';
import { FormError } from '../components/field.js';
import { navigate } from '../router.js';
import { pendingLink } from '../pending-link.js';

const pending = pendingLink('reckon.pendingPortalLink');

/** The portal link waiting for this tab to sign up or in, handed out once. */
export const takePendingPortalLink = (): string | null => pending.take();
const setPending = (token: string): void => pending.keep(token);

function problemOf(e: unknown): string {
  if (!(e instanceof ApiError)) return 'Reckon could not be reached. Check your connection.';
  if (e.status === 404) return 'This link does not work: it has expired, was used already, or was revoked. Ask the team that sent it for a new one.';
  if (e.status === 409) return 'You already have access to this client\'s portal.';
  return e.message;
}

export function PortalLink({ token, me, onRedeemed }: { token: string; me: MeResponse | undefined; onRedeemed: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!me) {
    // Kept when the person leaves for the account pages, not on every render (signing out here must not keep it).
    return (
      <main class="card">
        <h1>Open a client portal</h1>
        <p>A team shares its estimates with you through Reckon. Create an account or sign in, and you will come back here to open the portal.</p>
        <p><a class="button" href="#/signup" onClick={() => setPending(token)}>Create an account</a> <a class="button secondary" href="#/signin" onClick={() => setPending(token)}>Sign in</a></p>
      </main>
    );
  }
  const redeem = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { access } = await portalApi.redeem(token);
      await onRedeemed();
      navigate(`/portal/${access.clientId}`);
    } catch (e) {
      setError(problemOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="card">
      <h1>Open a client portal</h1>
      <p>You are signed in as {me.user.displayName}. Open the portal this link gives you?</p>
      <FormError message={error} />
      {error ? <p><a class="button secondary" href="#/portal">Go to your portal</a></p> : <button type="button" onClick={redeem} disabled={busy}>{busy ? 'Opening…' : 'Open the portal'}</button>}
    </main>
  );
}
