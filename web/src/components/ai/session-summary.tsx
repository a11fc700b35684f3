// The session summary beside the results export (moderators): ask for it, read it, download it
// as a text file next to the CSV. The client-safe version is what the client portal shows.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { aiApi, type SessionSummaryView } from '../../ai-api.js';

export function SessionSummary({ sessionId }: { sessionId: string }) {
  const api = aiApi(sessionId);
  const [summary, setSummary] = useState<SessionSummaryView | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  useEffect(() => { api.sessionSummary().then((r) => setSummary(r.summary), () => setSummary(null)); }, [sessionId]);
  const ask = async () => {
    setBusy(true); setProblem(undefined);
    try { setSummary((await api.summariseSession()).summary); } catch (e) { setProblem(e instanceof ApiError ? e.message : 'Reckon could not be reached.'); } finally { setBusy(false); }
  };
  return (
    <section class="session-summary" aria-labelledby="session-summary-title">
      <h3 id="session-summary-title">Session summary</h3>
      {summary && <>
        {summary.outOfDate && <p class="muted" role="status">Out of date: the session changed after this summary was written.</p>}
        <p class="summary-text">{summary.text}</p>
        <p class="muted">For the client (no names, no votes): {summary.clientSafeText}</p>
        <p class="muted">Written {summary.source === 'gemini' ? `by Gemini (${summary.model})` : 'by Reckon from the session\'s numbers'}. <a href={api.sessionSummaryUrl} download>Download summary (text)</a></p>
      </>}
      <button type="button" class="secondary" disabled={busy} onClick={() => void ask()}>{busy ? 'Summarising…' : summary ? 'Summarise again' : 'Summarise the session'}</button>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
