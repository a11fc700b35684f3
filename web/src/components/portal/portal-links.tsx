// A client's portal links, for team admins: create one (its URL shown once, with a copy button),
// see every link with who created and who redeemed it, revoke one, or regenerate it (revoke + new).
import { useEffect, useState } from 'preact/hooks';
import type { CreatedLink, LinkView } from '../../../../shared/schemas/portal.js';
import { ApiError } from '../../api.js';
import { portalApi } from '../../portal-api.js';
import { FormError } from '../field.js';
import { useSubmit } from '../use-submit.js';

const day = (iso: string) => new Date(iso).toLocaleDateString();
const when = (iso: string) => new Date(iso).toLocaleString();

function UrlOnce({ created, clientName, onDone }: { created: CreatedLink; clientName: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="panel secret-once" role="alert" aria-labelledby="portal-link-title">
      <h3 id="portal-link-title">Portal link for {clientName} (until {day(created.link.expiresAt)})</h3>
      <p>Send this link to one person at {clientName}. It works once, and Reckon shows it only now.</p>
      <p><input class="invite-link" readOnly aria-label="Portal link" value={created.url} onFocus={(e) => (e.target as HTMLInputElement).select()} /></p>
      <button type="button" class="secondary" onClick={() => navigator.clipboard?.writeText(created.url).then(() => setCopied(true), () => undefined)}>{copied ? 'Copied' : 'Copy link'}</button>
      <button type="button" onClick={onDone}>Done</button>
    </section>
  );
}

function LinkRow({ link, onRevoke, onRegenerate }: { link: LinkView; onRevoke: () => void; onRegenerate: () => void }) {
  const label = link.note || `link of ${day(link.createdAt)}`;
  return (
    <li data-testid="portal-link">
      <strong>{link.note || 'No note'}</strong> <span class="badge">{link.status}</span>
      <span class="muted"> · created {day(link.createdAt)}{link.createdBy ? ` by ${link.createdBy.displayName}` : ''} · until {day(link.expiresAt)}</span>
      {link.usedBy && <span> · redeemed by {link.usedBy.displayName}{link.usedAt ? ` on ${when(link.usedAt)}` : ''}</span>}
      {link.revokedAt && <span class="muted"> · revoked {day(link.revokedAt)}</span>}
      {link.status === 'active' && <>{' '}<button type="button" class="link" onClick={onRevoke} aria-label={`Revoke ${label}`}>Revoke</button></>}
      {link.status !== 'used' && <>{' '}<button type="button" class="link" onClick={onRegenerate} aria-label={`Regenerate ${label}`}>Regenerate</button></>}
    </li>
  );
}

export function PortalLinks({ clientId, clientName }: { clientId: string; clientName: string }) {
  const [links, setLinks] = useState<LinkView[]>();
  const [created, setCreated] = useState<CreatedLink>();
  const [days, setDays] = useState('7');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const load = () => { portalApi.links(clientId).then((r) => setLinks(r.links), () => setLinks([])); };
  useEffect(load, [clientId]);
  const { submit, error, busy } = useSubmit(async () => {
    setCreated(await portalApi.createLink(clientId, { expiresInDays: Number(days), note: note.trim() || undefined }));
    setNote('');
    load();
  });
  const act = async (what: () => Promise<unknown>) => {
    setProblem(undefined);
    try { await what(); } catch (e) { setProblem(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); }
    load();
  };
  const revoke = (l: LinkView) => act(() => portalApi.revokeLink(clientId, l.id));
  // A leaked link: revoke it and make a new one with the same note (its URL shown once).
  const regenerate = (l: LinkView) => act(async () => {
    if (l.status === 'active') await portalApi.revokeLink(clientId, l.id);
    setCreated(await portalApi.createLink(clientId, { expiresInDays: Number(days), note: l.note || undefined }));
  });
  return (
    <section aria-labelledby="portal-links-title">
      <h3 id="portal-links-title">Portal links</h3>
      {created ? <UrlOnce created={created} clientName={clientName} onDone={() => setCreated(undefined)} /> : (
        <form onSubmit={submit} aria-label="Create a portal link" class="inline-form">
          <div class="field"><label for="link-days">Valid for</label><select id="link-days" value={days} onChange={(e) => setDays((e.target as HTMLSelectElement).value)}>{[1, 3, 7, 14, 30].map((d) => <option key={d} value={String(d)}>{d} {d === 1 ? 'day' : 'days'}</option>)}</select></div>
          <div class="field">
            <label for="link-note">Note (who receives it)</label>
            <input id="link-note" maxLength={200} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} aria-describedby={error?.fieldMessage('note') ? 'link-note-error' : undefined} />
            {error?.fieldMessage('note') && <p class="error" id="link-note-error" role="alert">{error.fieldMessage('note')}</p>}
          </div>
          <button type="submit" disabled={busy}>Create portal link</button>
          <FormError message={error && !error.issues.length ? error.message : undefined} />
        </form>
      )}
      <FormError message={problem} />
      {links && links.length === 0 && <p class="muted">No links yet.</p>}
      {links && links.length > 0 && (
        <ul class="invites portal-links">
          {links.map((l) => <LinkRow key={l.id} link={l} onRevoke={() => void revoke(l)} onRegenerate={() => void regenerate(l)} />)}
        </ul>
      )}
    </section>
  );
}
