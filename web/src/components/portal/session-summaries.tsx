// The client-safe summary of each session among the estimates shown (issue #18): what was
// estimated and the total, never names, votes or notes.
import { useEffect, useState } from 'preact/hooks';
import type { EstimateView } from '../../../../shared/schemas/portal.js';
import { portalApi } from '../../portal-api.js';

type Summary = Awaited<ReturnType<typeof portalApi.sessionSummary>>['summary'];

export function SessionSummaries({ clientId, estimates }: { clientId: string; estimates: EstimateView[] }) {
  const sessionIds = [...new Set(estimates.map((e) => e.sessionId))].slice(0, 10);
  const [summaries, setSummaries] = useState<Summary[]>([]);
  useEffect(() => {
    Promise.all(sessionIds.map((id) => portalApi.sessionSummary(clientId, id).then((r) => r.summary, () => null)))
      .then((all) => setSummaries(all.filter((s): s is Summary => s !== null)));
  }, [clientId, sessionIds.join(',')]);
  if (!summaries.length) return null;
  return (
    <section class="session-summaries" aria-labelledby="session-summaries-title">
      <h2 id="session-summaries-title">Sessions</h2>
      <ul>{summaries.map((s) => <li key={s.sessionId}><strong>{s.sessionName}</strong>: <span class="summary-text">{s.text}</span>{s.source === 'gemini' ? <span class="muted"> (summarised by Gemini)</span> : null}</li>)}</ul>
    </section>
  );
}
