// Invite links, for admins: create one (its link shown once, with a copy button), see the links
// still around with their uses, revoke one.
import { useEffect, useState } from 'preact/hooks';
import type { CreatedInvite, InviteView, TeamRole } from '../../../../shared/schemas/teams.js';
import { teamsApi } from '../../api.js';
import { FormError } from '../field.js';
import { useSubmit } from '../use-submit.js';

function LinkOnce({ created, onDone }: { created: CreatedInvite; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="panel secret-once" role="alert" aria-labelledby="invite-link-title">
      <h3 id="invite-link-title">Invite link ({created.invite.role}, {created.invite.maxUses === 1 ? 'one use' : `${created.invite.maxUses} uses`})</h3>
      <p>Send this link to your colleague. Reckon shows it only now.</p>
      <p><input class="invite-link" readOnly aria-label="Invite link" value={created.url} onFocus={(e) => (e.target as HTMLInputElement).select()} /></p>
      <button type="button" class="secondary" onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy link'}</button>
      <button type="button" onClick={onDone}>Done</button>
    </section>
  );
}

export function Invites({ tenantId }: { tenantId: string }) {
  const [invites, setInvites] = useState<InviteView[]>();
  const [created, setCreated] = useState<CreatedInvite>();
  const [role, setRole] = useState<TeamRole>('member');
  const [days, setDays] = useState('7');
  const [uses, setUses] = useState('1');
  const load = () => { teamsApi.invites(tenantId).then((r) => setInvites(r.invites), () => setInvites([])); };
  useEffect(load, [tenantId]);
  const { submit, error, busy } = useSubmit(async () => {
    setCreated(await teamsApi.invite(tenantId, { role, expiresInDays: Number(days), maxUses: Number(uses) }));
    load();
  });
  const revoke = async (i: InviteView) => { await teamsApi.revokeInvite(tenantId, i.id).catch(() => undefined); load(); };
  const active = (invites ?? []).filter((i) => i.status === 'active');
  return (
    <section aria-labelledby="invites-title">
      <h2 id="invites-title">Invite people</h2>
      {created ? <LinkOnce created={created} onDone={() => setCreated(undefined)} /> : (
        <form onSubmit={submit} aria-label="Create an invite link" class="inline-form">
          <div class="field"><label for="invite-role">Role</label><select id="invite-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as TeamRole)}><option value="member">member</option><option value="admin">admin</option></select></div>
          <div class="field"><label for="invite-days">Valid for</label><select id="invite-days" value={days} onChange={(e) => setDays((e.target as HTMLSelectElement).value)}>{[1, 3, 7, 14].map((d) => <option key={d} value={String(d)}>{d} {d === 1 ? 'day' : 'days'}</option>)}</select></div>
          <div class="field"><label for="invite-uses">Uses</label><select id="invite-uses" value={uses} onChange={(e) => setUses((e.target as HTMLSelectElement).value)}>{[1, 5, 10, 25, 100].map((n) => <option key={n} value={String(n)}>{n}</option>)}</select></div>
          <button type="submit" disabled={busy}>Create invite link</button>
          <FormError message={error?.message} />
        </form>
      )}
      {active.length > 0 && (
        <ul class="invites">
          {active.map((i) => (
            <li key={i.id}>
              {i.role} · {i.uses} of {i.maxUses} used · until {new Date(i.expiresAt).toLocaleDateString()}
              {' '}<button type="button" class="link" onClick={() => revoke(i)} aria-label={`Revoke the ${i.role} link until ${new Date(i.expiresAt).toLocaleDateString()}, ${i.uses} of ${i.maxUses} used`}>Revoke</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
