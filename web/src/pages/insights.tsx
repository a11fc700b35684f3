// The team's Insights page (issue #19): estimates against the time logged in Jira, for a period
// of months, the whole team or (for admins) one client.
import { useEffect, useState } from 'preact/hooks';
import type { MeResponse } from '../../../shared/schemas/auth.js';
import type { InsightsView } from '../../../shared/schemas/insights.js';
import { ApiError, insightsApi } from '../api.js';
import { TeamSwitcher, useCurrentTeam } from '../components/current-team.js';
import { InsightsReport } from '../components/insights/report.js';

const thisMonth = () => new Date().toISOString().slice(0, 7);
const monthsBefore = (month: string, n: number) => { const d = new Date(`${month}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - n); return d.toISOString().slice(0, 7); };

export function Insights({ me }: { me: MeResponse }) {
  const [tenantId, setTenantId] = useCurrentTeam(me.memberships);
  const isAdmin = me.memberships.find((m) => m.tenantId === tenantId)?.role === 'admin';
  const [from, setFrom] = useState(monthsBefore(thisMonth(), 11));
  const [to, setTo] = useState(thisMonth());
  const [clientId, setClientId] = useState('');
  const [clients, setClients] = useState<{ id: string; name: string }[]>([]);
  const [data, setData] = useState<InsightsView | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    setClients([]); setClientId('');
    if (isAdmin) insightsApi.clients(tenantId).then((r) => setClients(r.clients), () => setClients([]));
  }, [tenantId, isAdmin]);

  useEffect(() => {
    if (!tenantId) return;
    setError(undefined);
    // Only the answer to the latest choice is shown (an earlier, slower one could be another team's).
    let latest = true;
    insightsApi.team(tenantId, { from, to, clientId: clientId || undefined })
      .then((d) => { if (latest) setData(d); }, (e) => { if (!latest) return; setData(undefined); setError(e instanceof ApiError ? e.message : 'Insights could not be loaded.'); });
    return () => { latest = false; };
  }, [tenantId, from, to, clientId]);

  return (
    <main class="page">
      <h1>Insights</h1>
      <p class="muted">How estimates compare with the time logged in Jira.</p>
      <TeamSwitcher id="insights-team" memberships={me.memberships} tenantId={tenantId} onPick={setTenantId} />
      <div class="inline-form insights-period">
        <div class="field"><label for="insights-from">From</label><input id="insights-from" type="month" value={from} max={to} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} /></div>
        <div class="field"><label for="insights-to">To</label><input id="insights-to" type="month" value={to} max={thisMonth()} onChange={(e) => setTo((e.target as HTMLInputElement).value)} /></div>
        {isAdmin && clients.length > 0 && (
          <div class="field"><label for="insights-client">Client</label>
            <select id="insights-client" value={clientId} onChange={(e) => setClientId((e.target as HTMLSelectElement).value)}>
              <option value="">The whole team</option>
              {clients.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </div>
        )}
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {data ? <InsightsReport data={data} /> : !error && <p class="loading" role="status">Loading…</p>}
    </main>
  );
}

/** A client's insights for its portal users (no sessions, no names). */
export function PortalInsights({ clientId }: { clientId: string }) {
  const [data, setData] = useState<InsightsView | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    insightsApi.portal(clientId).then(setData, (e) => setError(e instanceof ApiError ? e.message : 'Insights could not be loaded.'));
  }, [clientId]);
  return (
    <main class="page">
      <h1>Insights</h1>
      <p class="muted">How the team's estimates for you compare with the time logged.</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {data ? <InsightsReport data={data} /> : !error && <p class="loading" role="status">Loading…</p>}
    </main>
  );
}
