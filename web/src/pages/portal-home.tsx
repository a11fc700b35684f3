// The portal home of a portal user: the clients whose portal they may see, and for the one picked
// its finalized estimates, newest first, filtered by decision, 50 a page ("Show more").
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { EstimateView } from '../../../shared/schemas/portal.js';
import { ApiError } from '../api.js';
import { portalApi, type EstimateFilter } from '../portal-api.js';
import { FormError } from '../components/field.js';
import { EstimateCard } from '../components/portal/estimate-card.js';
import { SessionSummaries } from '../components/portal/session-summaries.js';
import { navigate } from '../router.js';

const FILTERS: [EstimateFilter, string][] = [['all', 'All'], ['pending', 'Awaiting decision'], ['approved', 'Approved'], ['declined', 'Declined']];

export function PortalHome({ me, clientId }: { me: MeResponse; clientId: string | undefined }) {
  const access = me.portal;
  const current = access.find((a) => a.clientId === clientId) ?? access[0];
  const [status, setStatus] = useState<EstimateFilter>('all');
  const [estimates, setEstimates] = useState<EstimateView[]>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const fail = (e: unknown) => setError(e instanceof ApiError ? (e.status === 404 ? 'This portal is no longer open to you.' : e.message) : 'Reckon could not be reached.');
  const load = (cursor?: string) => {
    if (!current) return;
    setError(undefined);
    portalApi.estimates(current.clientId, status, cursor).then((r) => {
      setEstimates((before) => (cursor ? [...(before ?? []), ...r.estimates] : r.estimates));
      setNext(r.next);
    }, fail);
  };
  useEffect(() => { setEstimates(undefined); load(); }, [current?.clientId, status]);
  if (!current) {
    return <main class="page"><h1>Client portal</h1><p>You have no client portal. Open the portal link a team sent you to get access.</p></main>;
  }
  const replace = (e: EstimateView) => setEstimates((list) => list?.map((x) => (x.sessionId === e.sessionId && x.issue.id === e.issue.id ? e : x)));
  return (
    <main class="page">
      <h1>{current.clientName}</h1>
      <p class="muted">Estimates by {current.teamName} · <a href={`#/insights/client/${current.clientId}`}>How estimates compare with the time logged</a></p>
      {access.length > 1 && (
        <div class="field">
          <label for="portal-client">Client</label>
          <select id="portal-client" value={current.clientId} onChange={(e) => navigate(`/portal/${(e.target as HTMLSelectElement).value}`)}>
            {access.map((a) => <option key={a.clientId} value={a.clientId}>{a.clientName} ({a.teamName})</option>)}
          </select>
        </div>
      )}
      <div class="field">
        <label for="portal-status">Show</label>
        <select id="portal-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as EstimateFilter)}>
          {FILTERS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      <FormError message={error} />
      {estimates && <SessionSummaries clientId={current.clientId} estimates={estimates} />}
      {estimates === undefined ? (!error && <p role="status">Loading estimates…</p>) : estimates.length === 0 ? <p>No estimates {status === 'all' ? 'yet' : 'with this decision'}.</p> : (
        <ul class="estimates">
          {estimates.map((e) => <EstimateCard key={`${e.sessionId}/${e.issue.id}`} clientId={current.clientId} estimate={e} onDecided={replace} />)}
        </ul>
      )}
      {next && <button type="button" class="secondary" onClick={() => load(next)}>Show more</button>}
    </main>
  );
}
